/* The monotonic clock, in milliseconds or nanoseconds. */
#ifndef NETDEMO_CLOCK_H
#define NETDEMO_CLOCK_H

/* Time since an arbitrary start that never jumps (CLOCK_MONOTONIC). */
long long clock_ms(void);
long long clock_ns(void);

/*
 * The time left until end_ms (clock_ms()), none below 0, as ppoll() takes
 * it; NULL when end_ms is -1 (no end: wait as long as it takes).
 */
struct timespec;
struct timespec *clock_left(long long end_ms, struct timespec *ts);

#endif
