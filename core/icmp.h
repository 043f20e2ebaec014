/* ICMP errors from a socket's error queue: turn them on, read, parse. */
#ifndef NETDEMO_ICMP_H
#define NETDEMO_ICMP_H

#include <stddef.h>
#include <sys/socket.h>

struct net_err;

/* Who produced an error record (the kernel's SO_EE_ORIGIN_*). */
enum icmp_origin {
	ICMP_ORIGIN_NONE,	/* no record */
	ICMP_ORIGIN_LOCAL,	/* this host's own stack (EMSGSIZE at send) */
	ICMP_ORIGIN_ICMP,	/* an ICMPv4 message */
	ICMP_ORIGIN_ICMP6,	/* an ICMPv6 message */
	ICMP_ORIGIN_OTHER	/* timestamps, zero-copy: not ours */
};

/* What a record means to a prober. */
enum icmp_meaning {
	ICMP_TOO_BIG,		/* "fragmentation needed", "packet too big" or
				   a local EMSGSIZE: info is the next-hop MTU */
	ICMP_REFUSED,		/* port unreachable: the datagram arrived */
	ICMP_UNREACHABLE,	/* net, host or administratively unreachable */
	ICMP_IGNORED		/* time exceeded and the like */
};

/*
 * One error record.  offender is the address of whoever sent the ICMP
 * message (a router, or the host itself), ss_family 0 when the record
 * names nobody, as local errors do.
 */
struct icmp_report {
	enum icmp_origin origin;
	int		 err;		/* errno the kernel mapped it to */
	int		 type;		/* ICMP type and code, 0 for local */
	int		 code;
	unsigned	 info;		/* next-hop MTU for ICMP_TOO_BIG */
	struct sockaddr_storage offender;
};

/*
 * Parse the control data of a recvmsg(MSG_ERRQUEUE) call: any bytes at all,
 * len of them, with no alignment promised.  Finds the first IP_RECVERR or
 * IPV6_RECVERR message and fills r.  Returns 0, or -1 (r zeroed, origin
 * ICMP_ORIGIN_NONE) when buf holds no complete record.  Pure: no I/O, no
 * allocation, reads nothing outside buf[0..len).
 */
int	icmp_parse(const void *buf, size_t len, struct icmp_report *r);

/* Classify a parsed record. */
enum icmp_meaning icmp_meaning(const struct icmp_report *r);

/*
 * What the ICMP message was, in words: "host unreachable", "network
 * unreachable", "administratively prohibited", "port unreachable", "time
 * exceeded", "fragmentation needed" (IPv6: "packet too big"), ...; for a
 * local error, "local error"; NULL for a record of nothing.
 */
const char *icmp_name(const struct icmp_report *r);

/*
 * The record as a message names it, into buf: "ICMP administratively
 * prohibited from ('10.0.1.1', 0)", or without "from ..." when it names
 * nobody.  Returns buf.
 */
const char *icmp_describe(const struct icmp_report *r, char *buf, size_t cap);

/*
 * What to do about it, where the kind of message says (a firewall that
 * rejects, a router with no route onward, a TTL run out); NULL elsewhere.
 * to is where the datagram was going: a host that answers for itself is
 * told from a router that answers for it.
 */
const char *icmp_hint(const struct icmp_report *r, const struct sockaddr *to,
	    char *buf, size_t cap);

/* Ask the kernel to queue ICMP errors on fd (IP_RECVERR / IPV6_RECVERR). */
int	icmp_listen(int fd, int family, struct net_err *e);

/*
 * Take one record off fd's error queue without blocking.  data receives the
 * start of the datagram the error is about (as much as the ICMP message
 * quoted, often nothing), *datalen its length.  Returns 1 with r filled, 0
 * when the queue is empty, -1 on an error (e filled).
 */
int	icmp_read(int fd, struct icmp_report *r, void *data, size_t cap,
	    size_t *datalen, struct net_err *e);

#endif
