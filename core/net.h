/* Socket helpers: resolve, listen, connect, send and receive it all. */
#ifndef NETDEMO_NET_H
#define NETDEMO_NET_H

#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>

struct addrinfo;

/*
 * What failed, for the caller to report or act on: the errno (or an
 * ERRTAB_GAI code), the operation ("connect to") and the address or host
 * it concerned.  These helpers never exit and never print: they return -1
 * and fill one of these.  A signal (SIGINT, SIGTERM) that ends a wait of
 * theirs comes back as EINTR.
 */
struct net_err {
	int		 err;
	const char	*op;
	struct sockaddr_storage addr;	/* ss_family 0 when unknown */
	const char	*host;		/* for lookups */
	int		 port;
};

/* Close fd, a socket being set up that e says failed: errno e's, -1. */
int	net_abandon(int fd, const struct net_err *e);

/* Fill e, leave errno as err, return -1. */
int	net_fail(struct net_err *e, int err, const char *op,
	    const struct sockaddr *sa, const char *host, int port);

/*
 * Set an int socket option to v: 0, or -1 with e naming op ("set
 * IP_RECVERR on") and the address sa (NULL: none) when the system refuses.
 */
int	net_setopt(int fd, int level, int name, int v, const char *op,
	    const struct sockaddr *sa, struct net_err *e);

/*
 * getaddrinfo() with the book's rules: "" is every interface for a server
 * (0.0.0.0, or :: with -6), family 0 lets the name decide.
 */
int	net_resolve(const char *host, int port, int family, int socktype,
	    int passive, struct addrinfo **res, struct net_err *e);

/*
 * A socket connected to the first address of host that takes it, tried in
 * getaddrinfo's order, waiting as long as the kernel does.
 */
int	net_connect(const char *host, int port, int family, int socktype,
	    struct net_err *e);

/*
 * connect() fd to to, waiting at most timeout_ms for the answer (-1: as
 * long as the kernel tries).  0, or -1 with e: ETIMEDOUT when no answer
 * came in time (the caller says it was its own bound), EINTR when SIGINT
 * or SIGTERM came.  fd keeps its blocking mode.
 */
int	net_connect_within(int fd, const struct sockaddr *to, int timeout_ms,
	    struct net_err *e);

/* Write all n bytes; -1 on error. */
int	net_sendall(int fd, const void *buf, size_t n, struct net_err *e);

int	net_sockname(int fd, struct sockaddr_storage *ss);
int	net_peername(int fd, struct sockaddr_storage *ss);
int	net_nonblock(int fd);
/* 1 for 127.0.0.0/8, ::1 and ::ffff:127.0.0.0/104. */
int	net_is_loopback(const struct sockaddr *sa);
/* 1 for 0.0.0.0 and ::, the every-interface addresses. */
int	net_is_any(const struct sockaddr *sa);
/* The size of the family's sockaddr: sockaddr_in or sockaddr_in6. */
socklen_t net_addrlen(const struct sockaddr *sa);
/* Set the port of an IPv4 or IPv6 address. */
void	net_set_port(struct sockaddr *sa, int port);

#endif
