/* The inside of wf_lock (file_lock.c) for the results writer and sweeps. */
#ifndef WF_FILE_LOCK_H
#define WF_FILE_LOCK_H

#include "winterflow.h"

/* WF_OK when l is held and is the lock of results file `path` (the same
 * lock file, however the two paths are spelled); WF_EINVAL when it is not
 * held or held on another file; WF_EIO when its file or the folder was
 * removed since it was taken (the message says which). */
wf_status wf_lock_check(const wf_lock *l, const char *path, char *err, size_t errlen);

#endif
