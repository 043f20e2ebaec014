/* The monotonic clock, in milliseconds or nanoseconds. */
#include <time.h>

#include "clock.h"

long long
clock_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

long long
clock_ms(void)
{
	return clock_ns() / 1000000;
}

struct timespec *
clock_left(long long end_ms, struct timespec *ts)
{
	long long left;

	if (end_ms < 0)
		return NULL;
	left = end_ms - clock_ms();
	if (left < 0)
		left = 0;
	ts->tv_sec = left / 1000;
	ts->tv_nsec = left % 1000 * 1000000;
	return ts;
}
