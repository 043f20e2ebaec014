/* ICMP errors from a socket's error queue: turn them on, read, parse. */
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "icmp.h"
#include "net.h"
#include "repr.h"
#include "sig.h"

/*
 * The kernel's struct sock_extended_err and its origins.  They are a fixed
 * part of the Linux ABI, but live in <linux/errqueue.h>, which a musl
 * toolchain does not ship; so they are spelled out here.
 */
struct ee_record {
	uint32_t	 ee_errno;
	uint8_t		 ee_origin;
	uint8_t		 ee_type;
	uint8_t		 ee_code;
	uint8_t		 ee_pad;
	uint32_t	 ee_info;
	uint32_t	 ee_data;
};

#define EE_ORIGIN_LOCAL	1
#define EE_ORIGIN_ICMP	2
#define EE_ORIGIN_ICMP6	3

/* ICMP types and codes a prober cares about (RFC 792, 1191, 4443). */
#define ICMP4_UNREACH		3
#define ICMP4_NET		0
#define ICMP4_HOST		1
#define ICMP4_PROTO		2
#define ICMP4_PORT		3
#define ICMP4_NEEDFRAG		4
#define ICMP4_NET_PROHIB	9
#define ICMP4_HOST_PROHIB	10
#define ICMP4_FILTERED		13
#define ICMP4_TIMXCEED		11
#define ICMP4_PARAMPROB		12
#define ICMP6_UNREACH		1
#define ICMP6_NOROUTE		0
#define ICMP6_ADMIN		1
#define ICMP6_ADDR		3
#define ICMP6_PORT		4
#define ICMP6_POLICY		5
#define ICMP6_REJECT		6
#define ICMP6_TOOBIG		2
#define ICMP6_TIMXCEED		3
#define ICMP6_PARAMPROB		4

static enum icmp_origin
origin_of(uint8_t o)
{
	switch (o) {
	case EE_ORIGIN_LOCAL:
		return ICMP_ORIGIN_LOCAL;
	case EE_ORIGIN_ICMP:
		return ICMP_ORIGIN_ICMP;
	case EE_ORIGIN_ICMP6:
		return ICMP_ORIGIN_ICMP6;
	default:
		return ICMP_ORIGIN_OTHER;
	}
}

/*
 * The kernel puts the offender's sockaddr right after the record.  Take it
 * only when the message is long enough to hold all of it (ss comes zeroed).
 */
static void
offender_of(const unsigned char *p, size_t n, struct sockaddr_storage *ss)
{
	sa_family_t fam;

	if (n < sizeof(fam))
		return;
	memcpy(&fam, p, sizeof(fam));
	if (fam == AF_INET && n >= sizeof(struct sockaddr_in))
		memcpy(ss, p, sizeof(struct sockaddr_in));
	else if (fam == AF_INET6 && n >= sizeof(struct sockaddr_in6))
		memcpy(ss, p, sizeof(struct sockaddr_in6));
}

int
icmp_parse(const void *buf, size_t len, struct icmp_report *r)
{
	const unsigned char *base = buf;
	const size_t hdr = CMSG_LEN(0);
	size_t off = 0;

	memset(r, 0, sizeof(*r));
	r->origin = ICMP_ORIGIN_NONE;
	/*
	 * Walk the messages by hand, copying each header out: the bytes may
	 * come from anywhere (a fuzzer), unaligned and lying about lengths.
	 */
	while (len - off >= sizeof(struct cmsghdr)) {
		struct cmsghdr c;
		struct ee_record ee;
		size_t clen, dlen;

		memcpy(&c, base + off, sizeof(c));
		clen = (size_t)c.cmsg_len;
		if (clen < hdr || clen > len - off)
			return -1;
		dlen = clen - hdr;
		if (((c.cmsg_level == IPPROTO_IP &&
		    c.cmsg_type == IP_RECVERR) ||
		    (c.cmsg_level == IPPROTO_IPV6 &&
		    c.cmsg_type == IPV6_RECVERR)) && dlen >= sizeof(ee)) {
			memcpy(&ee, base + off + hdr, sizeof(ee));
			r->origin = origin_of(ee.ee_origin);
			r->err = (int)(ee.ee_errno & 0x7fffffff);
			r->type = ee.ee_type;
			r->code = ee.ee_code;
			r->info = ee.ee_info;
			offender_of(base + off + hdr + sizeof(ee),
			    dlen - sizeof(ee), &r->offender);
			return 0;
		}
		/* The last message need not be padded to alignment. */
		if (CMSG_ALIGN(clen) >= len - off)
			break;
		off += CMSG_ALIGN(clen);
	}
	return -1;
}

/*
 * What a message says, whichever ICMP version carried it (the two differ
 * in numbers and in some words): read once, for its meaning, its name and
 * its hint.  NOROUTE and ADDR are IPv6's words for NET and HOST, TOOBIG
 * its NEEDFRAG; UNREACH is a code we have no word for.
 */
enum said {
	SAID_NOTHING, SAID_LOCAL, SAID_NET, SAID_HOST, SAID_PROTO, SAID_PORT,
	SAID_NEEDFRAG, SAID_PROHIB, SAID_NOROUTE, SAID_ADDR, SAID_UNREACH,
	SAID_TOOBIG, SAID_TIMXCEED, SAID_PARAMPROB, SAID_OTHER4, SAID_OTHER6
};

/* An ICMPv4 message, by type and code (RFC 792, 1191, 1812). */
static enum said
said4(int type, int code)
{
	if (type == ICMP4_TIMXCEED)
		return SAID_TIMXCEED;
	if (type == ICMP4_PARAMPROB)
		return SAID_PARAMPROB;
	if (type != ICMP4_UNREACH)
		return SAID_OTHER4;
	switch (code) {
	case ICMP4_NET:
		return SAID_NET;
	case ICMP4_HOST:
		return SAID_HOST;
	case ICMP4_PROTO:
		return SAID_PROTO;
	case ICMP4_PORT:
		return SAID_PORT;
	case ICMP4_NEEDFRAG:
		return SAID_NEEDFRAG;
	case ICMP4_NET_PROHIB:
	case ICMP4_HOST_PROHIB:
	case ICMP4_FILTERED:
		return SAID_PROHIB;
	default:
		return SAID_UNREACH;
	}
}

/* An ICMPv6 message, by type and code (RFC 4443). */
static enum said
said6(int type, int code)
{
	if (type == ICMP6_TOOBIG)
		return SAID_TOOBIG;
	if (type == ICMP6_TIMXCEED)
		return SAID_TIMXCEED;
	if (type == ICMP6_PARAMPROB)
		return SAID_PARAMPROB;
	if (type != ICMP6_UNREACH)
		return SAID_OTHER6;
	switch (code) {
	case ICMP6_NOROUTE:
		return SAID_NOROUTE;
	case ICMP6_ADMIN:
	case ICMP6_POLICY:
	case ICMP6_REJECT:
		return SAID_PROHIB;
	case ICMP6_ADDR:
		return SAID_ADDR;
	case ICMP6_PORT:
		return SAID_PORT;
	default:
		return SAID_UNREACH;
	}
}

static enum said
said(const struct icmp_report *r)
{
	switch (r->origin) {
	case ICMP_ORIGIN_LOCAL:
		return SAID_LOCAL;
	case ICMP_ORIGIN_ICMP:
		return said4(r->type, r->code);
	case ICMP_ORIGIN_ICMP6:
		return said6(r->type, r->code);
	default:
		return SAID_NOTHING;
	}
}

enum icmp_meaning
icmp_meaning(const struct icmp_report *r)
{
	switch (said(r)) {
	case SAID_LOCAL:
		/* Other local errors are real failures to report. */
		return r->err == EMSGSIZE ? ICMP_TOO_BIG : ICMP_UNREACHABLE;
	case SAID_NEEDFRAG:
	case SAID_TOOBIG:
		return ICMP_TOO_BIG;
	case SAID_PORT:
		return ICMP_REFUSED;
	case SAID_NET:
	case SAID_HOST:
	case SAID_PROTO:
	case SAID_PROHIB:
	case SAID_NOROUTE:
	case SAID_ADDR:
	case SAID_UNREACH:
		return ICMP_UNREACHABLE;
	default:
		return ICMP_IGNORED;
	}
}

int
icmp_listen(int fd, int family, struct net_err *e)
{
	struct net_err ignored;

	if (family != AF_INET6)
		return net_setopt(fd, IPPROTO_IP, IP_RECVERR, 1,
		    "set IP_RECVERR", NULL, e);
	if (net_setopt(fd, IPPROTO_IPV6, IPV6_RECVERR, 1, "set IPV6_RECVERR",
	    NULL, e) < 0)
		return -1;
	/*
	 * An IPv6 socket talking to an IPv4-mapped address gets its errors
	 * the IPv4 way; where that is refused, the v6 option above already
	 * covers all there is.
	 */
	(void)net_setopt(fd, IPPROTO_IP, IP_RECVERR, 1, "set IP_RECVERR",
	    NULL, &ignored);
	return 0;
}

int
icmp_read(int fd, struct icmp_report *r, void *data, size_t cap,
    size_t *datalen, struct net_err *e)
{
	/* Room for the record, a sockaddr_in6 and a neighbour or two. */
	union {
		struct cmsghdr	 align;
		unsigned char	 b[512];
	} ctl;
	struct iovec iov = { .iov_base = data, .iov_len = cap };
	struct msghdr m;
	ssize_t n;

	for (;;) {
		/* No msg_name: the address the datagram went to is known. */
		memset(&m, 0, sizeof(m));
		m.msg_iov = &iov;
		m.msg_iovlen = 1;
		m.msg_control = ctl.b;
		m.msg_controllen = sizeof(ctl.b);
		n = recvmsg(fd, &m, MSG_ERRQUEUE | MSG_DONTWAIT);
		if (n >= 0)
			break;
		if (errno == EINTR && !sig_caught())
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return 0;
		return net_fail(e, errno, "read the error queue", NULL,
		    NULL, 0);
	}
	*datalen = (size_t)n;
	if (icmp_parse(ctl.b, m.msg_controllen, r) < 0) {
		/* Dequeued but unreadable: say so, as a record of nothing. */
		r->origin = ICMP_ORIGIN_OTHER;
	}
	return 1;
}

const char *
icmp_name(const struct icmp_report *r)
{
	switch (said(r)) {
	case SAID_LOCAL:
		return "local error";
	case SAID_NET:
		return "network unreachable";
	case SAID_HOST:
		return "host unreachable";
	case SAID_PROTO:
		return "protocol unreachable";
	case SAID_PORT:
		return "port unreachable";
	case SAID_NEEDFRAG:
		return "fragmentation needed";
	case SAID_PROHIB:
		return "administratively prohibited";
	case SAID_NOROUTE:
		return "no route to destination";
	case SAID_ADDR:
		return "address unreachable";
	case SAID_UNREACH:
		return "destination unreachable";
	case SAID_TOOBIG:
		return "packet too big";
	case SAID_TIMXCEED:
		return "time exceeded";
	case SAID_PARAMPROB:
		return "parameter problem";
	case SAID_OTHER4:
		return "ICMP message";
	case SAID_OTHER6:
		return "ICMPv6 message";
	default:
		return NULL;
	}
}

const char *
icmp_describe(const struct icmp_report *r, char *buf, size_t cap)
{
	char from[REPR_ADDR_MAX];
	const char *name = icmp_name(r);

	if (name == NULL)
		name = "no ICMP message";
	if (r->offender.ss_family == 0) {
		snprintf(buf, cap, "ICMP %s", name);
		return buf;
	}
	repr_addr(from, sizeof(from), (const struct sockaddr *)&r->offender);
	snprintf(buf, cap, "ICMP %s from %s", name, from);
	return buf;
}

/* Whether the ICMP message came from the destination host itself. */
static int
from_target(const struct icmp_report *r, const struct sockaddr *to)
{
	const struct sockaddr *o = (const struct sockaddr *)&r->offender;

	if (o->sa_family != to->sa_family)
		return 0;
	if (o->sa_family == AF_INET)
		return ((const struct sockaddr_in *)(const void *)o)->
		    sin_addr.s_addr == ((const struct sockaddr_in *)
		    (const void *)to)->sin_addr.s_addr;
	return memcmp(&((const struct sockaddr_in6 *)(const void *)o)->
	    sin6_addr, &((const struct sockaddr_in6 *)(const void *)to)->
	    sin6_addr, sizeof(struct in6_addr)) == 0;
}

const char *
icmp_hint(const struct icmp_report *r, const struct sockaddr *to,
    char *buf, size_t cap)
{
	enum said what = said(r);
	char from[REPR_ADDR_MAX];

	if (what == SAID_NOTHING || r->offender.ss_family == 0)
		return NULL;
	repr_addr(from, sizeof(from), (const struct sockaddr *)&r->offender);
	if (what == SAID_PROHIB)
		snprintf(buf, cap, "a firewall at %s rejects this traffic; "
		    "check its rules for this port", from);
	else if (what == SAID_TIMXCEED)
		snprintf(buf, cap, "the TTL ran out at the router %s; raise "
		    "--ttl to reach further", from);
	else if (what == SAID_PORT)
		snprintf(buf, cap, "the host is there, but nothing listens on "
		    "that port; is a server running?");
	else if (from_target(r, to))
		return NULL;
	else if (what == SAID_NET || what == SAID_NOROUTE)
		snprintf(buf, cap, "the router %s has no route onward to "
		    "that network; check the routes past it", from);
	else if (what == SAID_HOST || what == SAID_ADDR)
		snprintf(buf, cap, "the router %s found no host at that "
		    "address on its network (no ARP or neighbour answer); is "
		    "the host up?", from);
	else
		return NULL;
	return buf;
}
