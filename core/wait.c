/* Waiting on descriptors: output flushed first, signals end the wait. */
#include <errno.h>
#include <poll.h>
#include <time.h>

#include "clock.h"
#include "err.h"
#include "sig.h"
#include "wait.h"

int
wait_poll(struct pollfd *p, int np, int timeout_ms)
{
	long long end = timeout_ms < 0 ? -1 : clock_ms() + timeout_ms;

	err_flush();
	for (;;) {
		struct timespec ts;
		sigset_t old;
		int n;

		/* A SIGTERM just before the wait must still end it. */
		sig_hold(&old);
		err_check_signal();
		n = ppoll(p, (nfds_t)np, clock_left(end, &ts), &old);
		sig_release(&old);
		if (n >= 0)
			return n;
		if (errno != EINTR)
			die(EXIT_SYSTEM, errno, "wait for events");
		err_check_signal();
	}
}

int
wait_fd(int fd, short events, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = events };

	return wait_poll(&p, 1, timeout_ms) > 0 ? p.revents : 0;
}
