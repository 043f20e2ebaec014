/* Waiting on descriptors: output flushed first, signals end the wait. */
#ifndef NETDEMO_WAIT_H
#define NETDEMO_WAIT_H

#include <poll.h>

/*
 * Flush stdout (err_flush()), then wait for events on the descriptors for
 * at most timeout_ms (-1: forever).  SIGINT and SIGTERM end the process
 * cleanly (err_check_signal()), even one that came just before the wait.
 * Returns poll's count, 0 on timeout.
 */
int	wait_poll(struct pollfd *p, int n, int timeout_ms);
/* The same for one descriptor: its revents, 0 on timeout. */
int	wait_fd(int fd, short events, int timeout_ms);

#endif
