/* One writer per results file (winterflow.h, section 6, wf_lock): a second
 * writer is refused at once naming the holder, or waits when asked to;
 * writes and sweeps take the lock and use one given to them; a sweep's
 * append finds a file that another program changed. Two processes: the
 * CLI test faults_two_sweeps (tests/faults.sh). Nothing is timed. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "engine_util.h"

static char dir[64], path[128], lockfile[128];

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static int exists(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0;
}

/* A second lock waiting on another thread. */
typedef struct {
    wf_lock *l;
    wf_cancel *cancel;
    wf_status st;
    atomic_int done;
} waiter;

static void *wait_main(void *arg)
{
    waiter *w = arg;
    wf_lock_options o;
    wf_lock_options_init(&o, sizeof o);
    o.wait = 1;
    o.cancel = w->cancel;
    w->st = wf_lock_acquire(w->l, path, &o);
    atomic_store(&w->done, 1);
    return NULL;
}

static wf_results *tiny_run(wf_scenario **s)
{
    *s = eu_file(WF_SOURCE_DIR "/tests/cli/tiny.yaml");
    eu_set(*s, "run.days", "3");
    eu_set(*s, "run.warmup_days", "1");
    wf_results *r = wf_results_create();
    eu_run(r, s, 1, 1, 1);
    return r;
}

static void test_two_locks(void)
{
    wf_lock *a = wf_lock_create(), *b = wf_lock_create();
    wf_lock_options o;
    CHECK(wf_lock_options_init(&o, sizeof o) == WF_OK && o.wait == 0 && !o.cancel && !o.command_line);
    o.command_line = "winterflow sweep first.yaml --out x.h5";
    CHECK(wf_lock_acquire(a, path, &o) == WF_OK && !*wf_lock_error(a));
    CHECK(exists(lockfile) && !exists(path));  /* the lock file, beside a file not yet written */
    CHECK(wf_lock_acquire(a, path, &o) == WF_EINVAL);  /* held already */

    /* Refused at once, naming the holder: this process, its command. */
    char pid[32];
    snprintf(pid, sizeof pid, "process %ld on host ", (long)getpid());
    CHECK(wf_lock_acquire(b, path, NULL) == WF_EIO);
    CHECKF(strstr(wf_lock_error(b), "another writer") && strstr(wf_lock_error(b), pid) &&
           strstr(wf_lock_error(b), "winterflow sweep first.yaml --out x.h5") && strstr(wf_lock_error(b), path),
           "%s", wf_lock_error(b));

    /* Waiting: the second lock is taken only once the first is released. */
    waiter w = {b, NULL, WF_EINVAL, 0};
    pthread_t t;
    CHECK(pthread_create(&t, NULL, wait_main, &w) == 0);
    sleep_ms(150);  /* let it wait; nothing is timed */
    CHECK(atomic_load(&w.done) == 0);
    wf_lock_release(a);
    pthread_join(t, NULL);
    CHECKF(w.st == WF_OK, "%s", wf_lock_error(b));
    CHECK(exists(lockfile));

    /* A wait stopped by its cancel flag. */
    waiter c = {a, wf_cancel_create(), WF_OK, 0};
    CHECK(pthread_create(&t, NULL, wait_main, &c) == 0);
    sleep_ms(100);
    wf_cancel_request(c.cancel);
    pthread_join(t, NULL);
    CHECKF(c.st == WF_ECANCELLED && strstr(wf_lock_error(a), "waiting"), "%d %s", c.st, wf_lock_error(a));
    wf_cancel_destroy(c.cancel);

    /* Released: the lock file goes; destroy releases too. */
    wf_lock_release(b);
    CHECK(!exists(lockfile));
    CHECK(wf_lock_acquire(b, path, NULL) == WF_OK);
    wf_lock_destroy(b);
    CHECK(!exists(lockfile));
    wf_lock_destroy(a);
    wf_lock_destroy(NULL);
    wf_lock_release(NULL);

    /* A folder that does not exist: WF_EIO naming it. */
    wf_lock *l = wf_lock_create();
    char gone[160];
    snprintf(gone, sizeof gone, "%s/no-such-folder/x.h5", dir);
    CHECK(wf_lock_acquire(l, gone, NULL) == WF_EIO);
    CHECKF(strstr(wf_lock_error(l), "cannot create a file in folder") && strstr(wf_lock_error(l), "no-such-folder") &&
           strstr(wf_lock_error(l), "No such file"), "%s", wf_lock_error(l));
    CHECK(wf_lock_acquire(l, "", NULL) == WF_EINVAL && wf_lock_acquire(l, "folder/", NULL) == WF_EINVAL);
    CHECK(wf_lock_acquire(NULL, path, NULL) == WF_EINVAL);
    wf_lock_destroy(l);
}

static void test_writes(void)
{
    wf_scenario *s;
    wf_results *r = tiny_run(&s);
    const wf_scenario *list[1] = {s};
    wf_lock *held = wf_lock_create();
    CHECK(wf_lock_acquire(held, path, NULL) == WF_OK);

    /* A write that takes the lock itself is refused while another holds it;
     * nothing is written, the holder's lock stays. */
    CHECK(wf_results_write(r, list, 1, path, NULL) == WF_EIO);
    CHECKF(strstr(wf_results_error(r), "another writer"), "%s", wf_results_error(r));
    CHECK(!exists(path) && exists(lockfile));

    /* Given the held lock, it writes; given a lock of another file, no. */
    wf_write_options o;
    CHECK(wf_write_options_init(&o, sizeof o) == WF_OK && !o.lock && !o.wait_lock);
    o.lock = held;
    CHECKF(wf_results_write(r, list, 1, path, &o) == WF_OK, "%s", wf_results_error(r));
    CHECK(exists(path) && exists(lockfile));
    CHECKF(wf_results_append(r, list, 1, path, &o) == WF_OK, "%s", wf_results_error(r));
    char other[160];
    snprintf(other, sizeof other, "%s/other.h5", dir);
    CHECK(wf_results_write(r, list, 1, other, &o) == WF_EINVAL && !exists(other));
    CHECKF(strstr(wf_results_error(r), "not held on this file"), "%s", wf_results_error(r));
    /* the same file by another spelling is the same lock */
    char spelled[200];
    snprintf(spelled, sizeof spelled, "%s/./x.h5", dir);
    o.overwrite = 1;
    CHECKF(wf_results_write(r, list, 1, spelled, &o) == WF_OK, "%s", wf_results_error(r));
    /* its lock file removed by someone else: refused, the file as it was */
    CHECK(unlink(lockfile) == 0);
    CHECK(wf_results_write(r, list, 1, path, &o) == WF_EIO);
    CHECKF(strstr(wf_results_error(r), "was removed by another program while held"), "%s", wf_results_error(r));
    wf_lock_release(held);
    /* released: wf_write_options.lock no longer covers it */
    CHECK(wf_results_write(r, list, 1, path, &o) == WF_EINVAL);

    /* A sweep holds the lock from open to destroy. */
    wf_design *d = wf_design_create();
    CHECK(wf_design_vary(d, "hospitals.city.beds=50,60,70") == WF_OK && wf_design_validate(d) == WF_OK);
    wf_sweep *sw = wf_sweep_create(), *sw2 = wf_sweep_create();
    wf_sweep_options so;
    wf_sweep_options_init(&so, sizeof so);
    CHECK(so.wait_lock == 0);
    so.replicates = 1;
    so.threads = 1;
    so.chunk = 1;
    so.overwrite = 1;
    so.command_line = "the first sweep";
    CHECKF(wf_sweep_open(sw, s, d, path, &so) == WF_OK, "%s", wf_sweep_error(sw));
    CHECK(wf_sweep_open(sw2, s, d, path, &so) == WF_EIO);
    CHECKF(strstr(wf_sweep_error(sw2), "another writer") && strstr(wf_sweep_error(sw2), "the first sweep"), "%s",
           wf_sweep_error(sw2));
    CHECK(wf_results_write(r, list, 1, path, NULL) == WF_EIO);
    CHECK(wf_lock_acquire(held, path, NULL) == WF_EIO);
    CHECKF(wf_sweep_run(sw) == WF_OK, "%s", wf_sweep_error(sw));
    CHECK(wf_sweep_n_saved(sw) == 3);

    /* Another program replaces the file behind the sweep's back: the next
     * save finds it and adds nothing. */
    wf_sweep_destroy(sw);
    CHECK(!exists(lockfile));
    sw = wf_sweep_create();
    CHECKF(wf_sweep_open(sw, s, d, path, &so) == WF_OK, "%s", wf_sweep_error(sw));
    wf_results *one = wf_results_create();
    CHECKF(wf_sweep_run_points(sw, 0, 1, one) == WF_OK, "%s", wf_results_error(one));
    CHECKF(wf_sweep_save(sw, 0, one) == WF_OK, "%s", wf_sweep_error(sw));
    CHECKF(wf_sweep_run_points(sw, 1, 1, one) == WF_OK, "%s", wf_results_error(one));
    unlink(path);  /* removed behind its back */
    CHECK(wf_sweep_save(sw, 1, one) == WF_EIO && !exists(path));
    CHECKF(strstr(wf_sweep_error(sw), "removed since the sweep saved 1"), "%s", wf_sweep_error(sw));
    /* a file of another writer put in its place (as a copy would) */
    CHECK(wf_results_write(r, list, 1, other, NULL) == WF_OK && rename(other, path) == 0);
    CHECK(wf_sweep_save(sw, 1, one) == WF_EIO);
    CHECKF(strstr(wf_sweep_error(sw), "changed since the sweep saved to it: it holds 1 scenarios where the sweep "
                                      "saved 1, and they differ"), "%s", wf_sweep_error(sw));
    CHECK(wf_sweep_n_saved(sw) == 1);
    wf_results_destroy(one);
    wf_sweep_destroy(sw);
    wf_sweep_destroy(sw2);
    wf_design_destroy(d);
    wf_lock_destroy(held);
    wf_results_destroy(r);
    wf_scenario_destroy(s);
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/wf_lock_XXXXXX");
    if (!mkdtemp(dir)) return 1;
    snprintf(path, sizeof path, "%s/x.h5", dir);
    snprintf(lockfile, sizeof lockfile, "%s/.x.h5.lock", dir);
    test_two_locks();
    test_writes();
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
    return CHECK_DONE();
}
