/* The monotonic clock, in milliseconds or nanoseconds. */
#ifndef NETDEMO_CLOCK_H
#define NETDEMO_CLOCK_H

/* Time since an arbitrary start that never jumps (CLOCK_MONOTONIC). */
long long clock_ms(void);
long long clock_ns(void);

#endif
