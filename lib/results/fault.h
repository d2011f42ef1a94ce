/* Fault injection for the tests of atomic writing. The writer calls
 * wf_fault_write before each of its dataset writes, numbered from 0. The
 * shipped library links fault.c, where it never fails; test builds link
 * tests/fault_inject.c instead (tests/CMakeLists.txt), whose hook fails or
 * kills a chosen write. So the library itself reads no environment and
 * sends no signal. */
#ifndef WF_FAULT_H
#define WF_FAULT_H

#include <stddef.h>

/* 0: go on with write number n; -1: fail it as a write error would, with
 * a message in err (errlen bytes). */
int wf_fault_write(unsigned long n, char *err, size_t errlen);

#endif
