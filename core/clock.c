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
