/* SIGINT and SIGTERM as a flag to look at, SIGPIPE ignored. */
#ifndef NETDEMO_SIG_H
#define NETDEMO_SIG_H

#include <signal.h>

/*
 * SIGINT and SIGTERM set a flag instead of killing us mid-write, so that
 * output is flushed and the exit status is 128 + the signal; SIGPIPE is
 * ignored, so a write to a closed socket or pipe fails with EPIPE instead.
 * Handlers are installed without SA_RESTART: a blocked call returns EINTR.
 */
void	sig_init(void);
/* The signal that came (SIGINT, SIGTERM), or 0. */
int	sig_caught(void);

/*
 * Around a wait that only a signal may end: sig_hold() blocks SIGINT and
 * SIGTERM; the wait then runs with *old as its mask (ppoll, epoll_pwait),
 * so a signal that came just before it still ends it; sig_release()
 * restores the mask.
 */
void	sig_hold(sigset_t *old);
void	sig_release(const sigset_t *old);

#endif
