#define _POSIX_C_SOURCE 200809L
#include "results/atomic_file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

const char *wf_strerror(int e, char *buf, size_t len)
{
    if (strerror_r(e, buf, len) != 0) snprintf(buf, len, "error %d", e);
    return buf;
}

int wf_split_path(const char *path, char **dir, const char **base)
{
    const char *slash = strrchr(path, '/');
    if (!slash) {
        *dir = strdup(".");
        *base = path;
    } else {
        size_t n = slash == path ? 1 : (size_t)(slash - path);
        *dir = malloc(n + 1);
        if (*dir) {
            memcpy(*dir, path, n);
            (*dir)[n] = 0;
        }
        *base = slash + 1;
    }
    return *dir ? 0 : -1;
}

/* Remove ".<base>.tmp-<pid>-<n>" files in dir whose writing process is gone
 * (left by a writer that was killed). Best effort. kill(pid, 0) only asks
 * whether the process exists; it sends nothing. */
static void clean_stale(const char *dir, const char *base)
{
    DIR *d = opendir(dir);
    if (!d) return;
    char prefix[512];
    snprintf(prefix, sizeof prefix, ".%s.tmp-", base);
    size_t pl = strlen(prefix);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strncmp(e->d_name, prefix, pl) != 0) continue;
        char *end;
        long pid = strtol(e->d_name + pl, &end, 10);
        if (pid <= 0 || *end != '-') continue;
        if (kill((pid_t)pid, 0) == 0 || errno != ESRCH) continue;
        char full[4096];
        if ((size_t)snprintf(full, sizeof full, "%s/%s", dir, e->d_name) < sizeof full) unlink(full);
    }
    closedir(d);
}

static wf_status copy_bytes(const char *from, int out, char *err, size_t errlen)
{
    char eb[128];
    int in = open(from, O_RDONLY | O_CLOEXEC);
    if (in < 0) {
        snprintf(err, errlen, "%s: cannot open: %s", from, wf_strerror(errno, eb, sizeof eb));
        return WF_EIO;
    }
    char buf[1 << 16];
    ssize_t k;
    wf_status st = WF_OK;
    while (st == WF_OK && (k = read(in, buf, sizeof buf)) != 0) {
        if (k < 0) {
            if (errno == EINTR) continue;
            snprintf(err, errlen, "%s: reading the file for appending failed: %s", from, wf_strerror(errno, eb, sizeof eb));
            st = WF_EIO;
            break;
        }
        for (ssize_t o = 0; o < k;) {
            ssize_t m = write(out, buf + o, (size_t)(k - o));
            if (m < 0) {
                if (errno == EINTR) continue;
                snprintf(err, errlen, "%s: copying the file for appending failed: %s", from,
                         wf_strerror(errno, eb, sizeof eb));
                st = WF_EIO;
                break;
            }
            o += m;
        }
    }
    close(in);
    return st;
}

wf_status wf_atomic_begin(wf_atomic *a, const char *target, int copy_target, char *err, size_t errlen)
{
    char eb[128];
    a->target = target;
    a->tmp = NULL;
    char *dir;
    const char *base;
    if (wf_split_path(target, &dir, &base)) return WF_ENOMEM;
    if (!*base) {
        snprintf(err, errlen, "%s: not a file name", target);
        free(dir);
        return WF_EINVAL;
    }
    clean_stale(dir, base);
    size_t len = strlen(dir) + strlen(base) + 64;
    if (!(a->tmp = malloc(len))) {
        free(dir);
        return WF_ENOMEM;
    }
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    unsigned long salt = (unsigned long)ts.tv_nsec ^ ((unsigned long)(uintptr_t)a << 7);
    int fd = -1;
    for (int attempt = 0;; attempt++) {
        snprintf(a->tmp, len, "%s/.%s.tmp-%ld-%lu", dir, base, (long)getpid(),
                 (salt + (unsigned long)attempt) % 1000000000UL);
        fd = open(a->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0) break;
        if (errno == EEXIST && attempt < 100) continue;
        snprintf(err, errlen, "%s: cannot create a file in folder %s: %s", target, dir, wf_strerror(errno, eb, sizeof eb));
        free(dir);
        free(a->tmp);
        a->tmp = NULL;
        return WF_EIO;
    }
    free(dir);
    wf_status st = copy_target ? copy_bytes(target, fd, err, errlen) : WF_OK;
    if (close(fd) != 0 && st == WF_OK) {
        snprintf(err, errlen, "%s: writing the temporary file failed: %s", target, wf_strerror(errno, eb, sizeof eb));
        st = WF_EIO;
    }
    if (st != WF_OK) wf_atomic_end(a);
    return st;
}

wf_status wf_atomic_commit(wf_atomic *a, char *err, size_t errlen)
{
    char eb[128];
    int fd = open(a->tmp, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fsync(fd) != 0) {
        int e = errno;
        if (fd >= 0) close(fd);
        char *dir;
        const char *base;
        struct stat sb;
        if (e == ENOENT && wf_split_path(a->target, &dir, &base) == 0) {
            if (stat(dir, &sb) != 0)  /* removed while the file was written */
                snprintf(err, errlen, "%s: cannot write the file: its folder %s is gone: %s", a->target, dir,
                         wf_strerror(e, eb, sizeof eb));
            else
                snprintf(err, errlen, "%s: the new file was removed before it was complete: %s", a->target,
                         wf_strerror(e, eb, sizeof eb));
            free(dir);
            return WF_EIO;
        }
        snprintf(err, errlen, "%s: flushing the new file to disk failed: %s", a->target, wf_strerror(e, eb, sizeof eb));
        return WF_EIO;
    }
    close(fd);
    if (rename(a->tmp, a->target) != 0) {
        snprintf(err, errlen, "%s: renaming the finished file into place failed: %s", a->target,
                 wf_strerror(errno, eb, sizeof eb));
        return WF_EIO;
    }
    free(a->tmp);
    a->tmp = NULL;
    char *dir;
    const char *base;
    if (wf_split_path(a->target, &dir, &base) == 0) {
        int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) {
            fsync(dfd);
            close(dfd);
        }
        free(dir);
    }
    return WF_OK;
}

void wf_atomic_end(wf_atomic *a)
{
    if (a->tmp) unlink(a->tmp);
    free(a->tmp);
    a->tmp = NULL;
}
