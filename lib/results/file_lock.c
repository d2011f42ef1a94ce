/* One writer per results file (winterflow.h, section 6): an flock(2) lock
 * on ".<name>.lock" beside the file, which records its holder.
 *
 * Taking it: open (creating) the lock file, try the lock without blocking;
 * once held, check that the path still names the file locked: a holder
 * removes the lock file when it releases, so a writer that opened the old
 * file before that and locked it after holds a lock on nothing, and starts
 * again. A wait polls (every 50 ms) rather than blocking in flock, so
 * that a cancel flag stops it. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/options.h"
#include "results/atomic_file.h"
#include "results/file_lock.h"
#include "run/cancel.h"

struct wf_lock {
    int fd;            /* -1: not held */
    char *lock_path;   /* ".<name>.lock" beside the target, while held */
    dev_t dir_dev;     /* its folder, to tell a lock file removed from one never taken */
    ino_t dir_ino;
    char err[1024];
};

/* ---- options ---------------------------------------------------------- */

#define LOCK_OPTIONS_V1 (offsetof(wf_lock_options, command_line) + sizeof(const char *))

static wf_lock_options lock_defaults(void)
{
    wf_lock_options o;
    memset(&o, 0, sizeof o);
    o.size = sizeof o;
    return o;
}

wf_status wf_lock_options_init(wf_lock_options *o, size_t size)
{
    wf_lock_options d = lock_defaults();
    return wf_options_init(o, size, &d, sizeof d, LOCK_OPTIONS_V1) ? WF_EINVAL : WF_OK;
}

/* ---- the object ------------------------------------------------------- */

wf_lock *wf_lock_create(void)
{
    wf_lock *l = calloc(1, sizeof *l);
    if (l) l->fd = -1;
    return l;
}

void wf_lock_destroy(wf_lock *l)
{
    if (!l) return;
    wf_lock_release(l);
    free(l);
}

const char *wf_lock_error(const wf_lock *l) { return l ? l->err : "no lock"; }

void wf_lock_release(wf_lock *l)
{
    if (!l || l->fd < 0) return;
    /* removed while still held: no one can lock this file after us */
    unlink(l->lock_path);
    close(l->fd);
    l->fd = -1;
    free(l->lock_path);
    l->lock_path = NULL;
}

/* ".<name>.lock" beside path (malloc), or NULL when out of memory. */
static char *lock_path_of(const char *path)
{
    char *dir;
    const char *base;
    if (wf_split_path(path, &dir, &base)) return NULL;
    size_t n = strlen(dir) + strlen(base) + 8;
    char *p = malloc(n);
    if (p) snprintf(p, n, "%s/.%s.lock", dir, base);
    free(dir);
    return p;
}

/* The holder's record, for a refused writer's message: one line,
 * "process P on host H since T: COMMAND" (what of it was written). */
static void write_holder(int fd, const char *command_line)
{
    char host[256] = "?", when[32] = "?", buf[2048];
    if (gethostname(host, sizeof host) != 0) snprintf(host, sizeof host, "?");
    host[sizeof host - 1] = 0;
    time_t t = time(NULL);
    struct tm tm;
    if (gmtime_r(&t, &tm)) strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    int n = snprintf(buf, sizeof buf, "process %ld on host %s since %s%s%.1200s\n", (long)getpid(), host, when,
                     command_line && *command_line ? ": " : "", command_line ? command_line : "");
    if (n < 0) return;
    if ((size_t)n >= sizeof buf) n = (int)sizeof buf - 1;
    /* best effort: a full disk must not stop a writer that could finish */
    if (ftruncate(fd, 0) == 0 && pwrite(fd, buf, (size_t)n, 0) < 0) return;
}

static void read_holder(int fd, char *out, size_t len)
{
    char buf[1400];
    ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    if (n <= 0) {
        snprintf(out, len, "its record is not written yet");
        return;
    }
    buf[n] = 0;
    /* one line of printable text: the file is only as trusted as its folder */
    size_t k = 0;
    while (buf[k] && buf[k] != '\n') {
        if ((unsigned char)buf[k] < 0x20 || buf[k] == 0x7f) buf[k] = '?';
        k++;
    }
    buf[k] = 0;
    snprintf(out, len, "%s", buf);
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

wf_status wf_lock_acquire(wf_lock *l, const char *path, const wf_lock_options *opt)
{
    if (!l) return WF_EINVAL;
    l->err[0] = 0;
    if (l->fd >= 0) {
        snprintf(l->err, sizeof l->err, "%s: this lock is already held (on %s)", path ? path : "", l->lock_path);
        return WF_EINVAL;
    }
    wf_lock_options o = lock_defaults();
    if (opt && wf_options_take(&o, sizeof o, opt, LOCK_OPTIONS_V1)) {
        snprintf(l->err, sizeof l->err, "wf_lock_options: not set up by wf_lock_options_init, or from a newer "
                 "winterflow with options this library (%s) does not know", wf_version());
        return WF_EINVAL;
    }
    if (!path || !*path || path[strlen(path) - 1] == '/') {
        snprintf(l->err, sizeof l->err, "%s: not a file name", path ? path : "(null)");
        return WF_EINVAL;
    }
    char *lp = lock_path_of(path), *dir = NULL;
    const char *base;
    if (!lp || wf_split_path(path, &dir, &base)) {
        free(lp);
        snprintf(l->err, sizeof l->err, "%s: out of memory", path);
        return WF_ENOMEM;
    }
    wf_status st = WF_OK;
    char eb[128];
    while (st == WF_OK) {
        int fd = open(lp, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0666);
        if (fd < 0) {
            snprintf(l->err, sizeof l->err, "%s: cannot lock the file for writing: cannot create a file in "
                     "folder %s: %s", path, dir, wf_strerror(errno, eb, sizeof eb));
            st = WF_EIO;
            break;
        }
        if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
            int e = errno;
            if (e != EWOULDBLOCK && e != EINTR) {
                snprintf(l->err, sizeof l->err, "%s: cannot lock the file for writing (%s): %s", path, lp,
                         wf_strerror(e, eb, sizeof eb));
                st = WF_EIO;
            } else if (!o.wait) {
                char who[1400];
                read_holder(fd, who, sizeof who);
                snprintf(l->err, sizeof l->err, "%s: another writer is writing it (%.900s)", path, who);
                st = WF_EIO;
            } else if (wf_cancel_requested(o.cancel)) {
                snprintf(l->err, sizeof l->err, "%s: stopped while waiting for another writer to finish", path);
                st = WF_ECANCELLED;
            } else {
                sleep_ms(50);
            }
            close(fd);
            continue;
        }
        /* Held; but is it still the lock file of path, or one its holder
         * removed while we opened it? Else open it again. */
        struct stat a, b, d;
        if (fstat(fd, &a) == 0 && stat(lp, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino &&
            stat(dir, &d) == 0) {
            write_holder(fd, o.command_line);
            l->fd = fd;
            l->lock_path = lp;
            l->dir_dev = d.st_dev;
            l->dir_ino = d.st_ino;
            free(dir);
            return WF_OK;
        }
        close(fd);
        if (wf_cancel_requested(o.cancel)) {
            snprintf(l->err, sizeof l->err, "%s: stopped while waiting for another writer to finish", path);
            st = WF_ECANCELLED;
        }
    }
    free(lp);
    free(dir);
    return st;
}

wf_status wf_lock_check(const wf_lock *l, const char *path, char *err, size_t errlen)
{
    if (!l || l->fd < 0) {
        snprintf(err, errlen, "%s: the lock given (wf_write_options.lock) is not held", path);
        return WF_EINVAL;
    }
    char *lp = lock_path_of(path), *dir = NULL, eb[128];
    const char *base;
    if (!lp || wf_split_path(path, &dir, &base)) {
        free(lp);
        return WF_ENOMEM;
    }
    struct stat a, b, d;
    wf_status st = WF_OK;
    if (fstat(l->fd, &a) == 0 && stat(lp, &b) == 0) {
        if (a.st_dev != b.st_dev || a.st_ino != b.st_ino) {
            snprintf(err, errlen, "%s: the lock given (wf_write_options.lock) is not held on this file", path);
            st = WF_EINVAL;
        }
    } else if (stat(dir, &d) != 0) {
        /* the folder went while the lock was held (removed during a run) */
        snprintf(err, errlen, "%s: cannot write the file: its folder %s is gone: %s", path, dir,
                 wf_strerror(errno, eb, sizeof eb));
        st = WF_EIO;
    } else if (d.st_dev == l->dir_dev && d.st_ino == l->dir_ino &&
               !strcmp(strrchr(lp, '/'), strrchr(l->lock_path, '/'))) {
        snprintf(err, errlen, "%s: its lock file %s was removed by another program while held: not written", path,
                 lp);
        st = WF_EIO;
    } else {
        snprintf(err, errlen, "%s: the lock given (wf_write_options.lock) is not held on this file", path);
        st = WF_EINVAL;
    }
    free(lp);
    free(dir);
    return st;
}
