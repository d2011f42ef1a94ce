/* Replacing a file atomically: write a temporary file in the target's
 * folder, flush it, rename it over the target, flush the folder. Readers
 * see the old file or the new one, never a part. Plain POSIX, no HDF5: the
 * results writer (h5_write.c) is its one user, under the file's lock
 * (file_lock.c). */
#ifndef WF_ATOMIC_FILE_H
#define WF_ATOMIC_FILE_H

#include <stddef.h>

#include "winterflow.h"

typedef struct {
    const char *target; /* the file to replace (not owned) */
    char *tmp;          /* ".<name>.tmp-<pid>-<n>" beside it, once begun */
} wf_atomic;

/* Create an empty temporary file beside `target` (removing temporaries of
 * the same name whose writer process is gone), or with `copy_target` a
 * copy of the target's bytes. On failure err says why and nothing is left. */
wf_status wf_atomic_begin(wf_atomic *a, const char *target, int copy_target, char *err, size_t errlen);
/* fsync the temporary file, rename it over the target, fsync the folder. */
wf_status wf_atomic_commit(wf_atomic *a, char *err, size_t errlen);
/* Remove the temporary file (if any) and free what `a` holds. Safe after a
 * commit (then it only frees). */
void wf_atomic_end(wf_atomic *a);

/* Split path into its folder ("." when none; malloc) and file name (a
 * pointer into path). -1 when out of memory. */
int wf_split_path(const char *path, char **dir, const char **base);
/* strerror_r into buf (thread-safe), returning buf. */
const char *wf_strerror(int e, char *buf, size_t len);

#endif
