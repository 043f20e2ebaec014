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

/* "connect to ('127.0.0.1', 1060)" for die() and warn(). */
const char *net_what(const struct net_err *e);

/*
 * getaddrinfo() with the book's rules: "" is every interface for a server
 * (0.0.0.0, or :: with -6), family 0 lets the name decide.
 */
int	net_resolve(const char *host, int port, int family, int socktype,
	    int passive, struct addrinfo **res, struct net_err *e);

/*
 * A bound socket (listening, for TCP) on host:port, with SO_REUSEADDR when
 * asked; the first address that works, else the first address's error.
 */
int	net_listen(const char *host, int port, int family, int socktype,
	    int reuse, struct net_err *e);

/* Create and connect a socket, trying each address in order. */
int	net_connect(const char *host, int port, int family, int socktype,
	    struct net_err *e);
/* The socket for a name, not connected (udp_local's client). */
int	net_socket_for(const char *host, int port, int family, int socktype,
	    struct sockaddr_storage *to, socklen_t *tolen, struct net_err *e);

/*
 * Flush output, then wait for events on fd for at most timeout_ms (-1:
 * forever).  Exits cleanly on SIGINT/SIGTERM.  Returns revents, 0 on timeout.
 */
int	net_wait(int fd, short events, int timeout_ms);

/* Read exactly n bytes (fewer only at EOF); -1 on error. */
ssize_t	net_recvall(int fd, void *buf, size_t n, struct net_err *e);
/* Write all n bytes; -1 on error. */
int	net_sendall(int fd, const void *buf, size_t n, struct net_err *e);

int	net_sockname(int fd, struct sockaddr_storage *ss);
int	net_peername(int fd, struct sockaddr_storage *ss);
int	net_nonblock(int fd);

/* Milliseconds on a monotonic clock. */
long long net_now_ms(void);

#endif
