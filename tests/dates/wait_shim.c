/* Preloaded before libfaketime by tests/dates/run.py, to undo two of its side effects.
 * Only the wall clock is faked (FAKETIME_DONT_FAKE_MONOTONIC=1), so waits measured on the
 * monotonic clock are right as the kernel and glibc do them:
 *
 * - libfaketime rewrites absolute clock_nanosleep deadlines anyway, and Python's
 *   time.sleep (an absolute CLOCK_MONOTONIC sleep) then fails with EINVAL;
 * - its pthread_cond_timedwait mistimes condition variables on the monotonic clock,
 *   which is what CPython's GIL waits on: threaded code ran ten times slower (acks took
 *   seconds). A deadline near the monotonic clock goes to glibc's own function; any
 *   other (a wall-clock deadline, which is faked) still goes through libfaketime. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int clock_nanosleep(clockid_t clock, int flags, const struct timespec *request,
                    struct timespec *remain) {
    return syscall(SYS_clock_nanosleep, clock, flags, request, remain) == 0 ? 0 : errno;
}

typedef int (*timedwait_fn)(pthread_cond_t *, pthread_mutex_t *, const struct timespec *);
static timedwait_fn glibc_timedwait, faked_timedwait;

int pthread_cond_timedwait(pthread_cond_t *cond, pthread_mutex_t *mutex,
                           const struct timespec *deadline) {
    if (glibc_timedwait == NULL) {
        void *libc = dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD);
        glibc_timedwait = (timedwait_fn)dlvsym(libc, "pthread_cond_timedwait", "GLIBC_2.3.2");
        faked_timedwait = (timedwait_fn)dlvsym(RTLD_NEXT, "pthread_cond_timedwait",
                                               "GLIBC_2.3.2");
    }
    struct timespec now;
    syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &now);
    if (labs(deadline->tv_sec - now.tv_sec) < 86400)
        return glibc_timedwait(cond, mutex, deadline);
    return faked_timedwait(cond, mutex, deadline);
}
