/* A tiny assertion kit for the C tests: each test is a program; a failed
 * check prints where and why, and the program exits non-zero at the end. */
#ifndef WF_CHECK_H
#define WF_CHECK_H
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int wf_check_failures = 0;
static int wf_check_count = 0;

#define CHECK(cond) do { wf_check_count++; if (!(cond)) { wf_check_failures++; \
    fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); } } while (0)
#define CHECKF(cond, ...) do { wf_check_count++; if (!(cond)) { wf_check_failures++; \
    fprintf(stderr, "%s:%d: CHECK failed: %s: ", __FILE__, __LINE__, #cond); \
    fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); } } while (0)
#define CHECK_NEAR(a, b, tol) do { double a_ = (a), b_ = (b), t_ = (tol); wf_check_count++; \
    if (!(fabs(a_ - b_) <= t_)) { wf_check_failures++; fprintf(stderr, \
    "%s:%d: CHECK_NEAR failed: %s = %.10g, %s = %.10g, |diff| %.3g > %.3g\n", __FILE__, __LINE__, \
    #a, a_, #b, b_, fabs(a_ - b_), t_); } } while (0)
/* Ends main(): prints "N passed, M failed" and returns the exit status. */
#define CHECK_DONE() (printf("%d passed, %d failed\n", wf_check_count - wf_check_failures, \
    wf_check_failures), wf_check_failures ? 1 : 0)
#endif
