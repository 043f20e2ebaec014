/* Socket helpers: resolve, listen, connect, send and receive it all. */
#ifndef NETDEMO_NET_H
#define NETDEMO_NET_H

#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>

/*
 * What failed, for the caller to report or act on: the errno (or ERR_GAI
 * code), the operation ("connect to") and the address or host it concerned.
 * These helpers never exit and never print.
 */
struct addrinfo;
struct pollfd;

struct net_err {
	int		 err;
	const char	*op;
	struct sockaddr_storage addr;	/* ss_family 0 when unknown */
	const char	*host;		/* for lookups */
	int		 port;
};

/* Fill e, leave errno as it was, return -1. */
int	net_fail(struct net_err *e, int err, const char *op,
	    const struct sockaddr *sa, const char *host, int port);

/* die() with what e says failed, "connect to ('127.0.0.1', 1060)": exit 1. */
void	net_die(const struct net_err *e) __attribute__((noreturn));

/*
 * getaddrinfo() with the book's rules: "" is every interface for a server
 * (0.0.0.0, or :: with -6), family 0 lets the name decide.
 */
int	net_resolve(const char *host, int port, int family, int socktype,
	    int passive, struct addrinfo **res, struct net_err *e);

/*
 * Bound sockets (listening, for TCP) on every address host names, one port
 * for them all (port 0: the one the OS gives the first), SO_REUSEADDR when
 * asked: "localhost" with ::1 and 127.0.0.1 serves both.  An address this
 * machine cannot have (no IPv6, not on any interface) is passed over while
 * another one binds; any other failure fails them all.  Fills fds[] (at
 * most max) in the order getaddrinfo gave; returns how many, or -1.
 */
int	net_listen(const char *host, int port, int family, int socktype,
	    int reuse, int *fds, int max, struct net_err *e);
/* Room enough for the addresses one name may give: localhost is two. */
#define NET_LISTEN_MAX	8

/* Create and connect a socket, trying each address in order. */
int	net_connect(const char *host, int port, int family, int socktype,
	    struct net_err *e);

/*
 * Flush output, then wait for events on fd for at most timeout_ms (-1:
 * forever).  Exits cleanly on SIGINT/SIGTERM.  Returns revents, 0 on timeout.
 */
int	net_wait(int fd, short events, int timeout_ms);
/* The same for several: poll(2) after a flush; returns poll's count. */
int	net_poll(struct pollfd *p, int n, int timeout_ms);

/* Read exactly n bytes (fewer only at EOF); -1 on error. */
ssize_t	net_recvall(int fd, void *buf, size_t n, struct net_err *e);
/* Write all n bytes; -1 on error. */
int	net_sendall(int fd, const void *buf, size_t n, struct net_err *e);

int	net_sockname(int fd, struct sockaddr_storage *ss);
int	net_peername(int fd, struct sockaddr_storage *ss);
int	net_nonblock(int fd);
/* 1 for 127.0.0.0/8, ::1 and ::ffff:127.0.0.0/104. */
int	net_is_loopback(const struct sockaddr *sa);

/* Milliseconds, or nanoseconds, on a monotonic clock. */
long long net_now_ms(void);
long long net_now_ns(void);

#endif
