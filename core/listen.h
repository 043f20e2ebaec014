/* A server's sockets: the addresses its operand names, bound on one port. */
#ifndef NETDEMO_LISTEN_H
#define NETDEMO_LISTEN_H

#include <sys/socket.h>

struct net_err;

/*
 * Room for the sockets of one server: the addresses of a name or of an
 * interface, and udp-server's groups.
 */
#define LISTEN_MAX	24

/* How the sockets are made. */
struct listen_req {
	int		 port;		/* 0: the OS chooses; then the one bound */
	int		 socktype;	/* SOCK_DGRAM, or SOCK_STREAM: listening */
	int		 reuse;		/* SO_REUSEADDR */
	const char	*device;	/* -I: SO_BINDTODEVICE, or NULL */
};

/*
 * The addresses a server's INTERFACE operand names, of family (0: any),
 * port 0, into out[] (at most max): "" is every interface (0.0.0.0, or ::
 * with -6), as in the book; an address is itself; a word that names an
 * interface of this machine is that interface's addresses (the interface
 * wins over a host of the same name, "lo" say); any other word is a host
 * name, all its addresses.  How many, or -1 with e (err 0 and op the whole
 * message when an interface has no address of the family, or too many).
 */
int	listen_resolve(const char *word, int family,
	    struct sockaddr_storage *out, int max, struct net_err *e);

/*
 * Bound sockets (listening, for SOCK_STREAM) on the n addresses, one port
 * for them all: r->port, or with 0 the one the OS gives the first, which
 * r->port then holds.  :: takes IPv6 alone (IPV6_V6ONLY): -6 "" never
 * answers IPv4 as ::ffff:10.0.0.1, and leaves 0.0.0.0 free for another
 * server.  With optional, an address this machine cannot have (no IPv6,
 * an address on no interface) is passed over while another one binds;
 * any other failure fails them all.  Fills fds[] in the addresses' order;
 * returns how many, or -1 with e.
 */
int	listen_bind(struct listen_req *r, struct sockaddr_storage *addrs,
	    int n, int optional, int *fds, struct net_err *e);

/*
 * listen_resolve() then listen_bind(): the sockets of at most max
 * (LISTEN_MAX at most) of the addresses word names, each optional.
 */
int	listen_open(struct listen_req *r, const char *word, int family, int max,
	    int *fds, struct net_err *e);

#endif
