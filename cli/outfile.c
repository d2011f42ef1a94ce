/*
 * A file written whole or not at all: the output goes to a temporary file
 * beside the target (".<name>.tmp-XXXXXX"), which is flushed to disk and
 * renamed over the target only once complete. On any failure the temporary
 * file is removed and an existing target is left as it was.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

int cli_outfile_open(cli_outfile *o, const char *path, int force)
{
    memset(o, 0, sizeof *o);
    struct stat sb;
    if (!force && stat(path, &sb) == 0) {
        cli_error("%s: exists (use --force to replace it)", path);
        return EXIT_IO;
    }
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
    size_t n = strlen(path) + 16;
    if (!(o->tmp = malloc(n))) {
        cli_error("out of memory");
        return EXIT_RUN;
    }
    snprintf(o->tmp, n, "%.*s.%s.tmp-XXXXXX", (int)dirlen, path, path + dirlen);
    int fd = mkstemp(o->tmp);
    if (fd < 0 || !(o->f = fdopen(fd, "wb"))) {
        cli_error("%s: cannot create a file beside it: %s", path, strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(o->tmp);
        }
        free(o->tmp);
        o->tmp = NULL;
        return EXIT_IO;
    }
    /* the permissions of a file made by fopen (mkstemp makes it 0600) */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    o->path = path;
    return EXIT_OK;
}

int cli_outfile_commit(cli_outfile *o)
{
    int bad = 0, err = 0;
    if (o->f) {
        bad = ferror(o->f) || fflush(o->f) != 0 || fsync(fileno(o->f)) != 0;
        if (bad) err = errno;
        if (fclose(o->f) != 0 && !bad) bad = 1, err = errno;
        o->f = NULL;
    }
    if (!bad && rename(o->tmp, o->path) != 0) bad = 1, err = errno;
    if (bad) {
        cli_error("%s: writing failed: %s", o->path, strerror(err ? err : EIO));
        cli_outfile_abort(o);
        return EXIT_IO;
    }
    free(o->tmp);
    o->tmp = NULL;
    return EXIT_OK;
}

void cli_outfile_abort(cli_outfile *o)
{
    if (o->f) fclose(o->f);
    o->f = NULL;
    if (o->tmp) unlink(o->tmp);
    free(o->tmp);
    o->tmp = NULL;
}
