/* A failed network call reported: the line, the hint that fits, the exit. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "err.h"
#include "errtab.h"
#include "icmp.h"
#include "net.h"
#include "neterr.h"
#include "repr.h"

void
neterr_what(const struct net_err *e, char *buf, size_t cap)
{
	char where[REPR_MAX(200) + 24];

	if (e->addr.ss_family)
		repr_addr(where, sizeof(where),
		    (const struct sockaddr *)&e->addr);
	else if (e->host) {
		size_t n = strlen(e->host);
		char host[REPR_MAX(200)];

		/* A name as Python shows it in a tuple: ('example.org', 1060). */
		repr_text(host, e->host, n > 200 ? 200 : n);
		snprintf(where, sizeof(where), "(%s, %d)", host, e->port);
	} else
		where[0] = '\0';
	snprintf(buf, cap, "%s%s%s", e->op, where[0] ? " " : "", where);
}

void
neterr_hint_next(const char *host, const struct sockaddr *next)
{
	char there[REPR_ADDR_MAX];

	repr_addr(there, sizeof(there), next);
	err_set_hint("trying the next address of '%.64s': %s", host, there);
}

void
neterr_icmp(const struct icmp_report *r, const struct sockaddr *to,
    char *what, size_t cap)
{
	char icmp[REPR_ADDR_MAX + 64], hint[256];
	size_t n = strlen(what);

	snprintf(what + n, cap - n, ": %s", icmp_describe(r, icmp,
	    sizeof(icmp)));
	err_set_from(icmp_name(r), (const struct sockaddr *)&r->offender);
	if (icmp_hint(r, to, hint, sizeof(hint)))
		err_set_hint("%s", hint);
}

/* The hint where the errno's own would mislead, given the operation. */
static void
set_hint(const struct net_err *e)
{
	int port = repr_port((const struct sockaddr *)&e->addr);

	if (e->err == EACCES && strcmp(e->op, "bind to") == 0 &&
	    port > 0 && port < 1024)
		err_set_hint("ports below 1024 need root; try a port above "
		    "1023 with -p");
}

void
neterr_die(const struct net_err *e)
{
	char what[512];

	if (e->err == EINTR)
		err_check_signal();
	neterr_what(e, what, sizeof(what));
	set_hint(e);
	die(EXIT_SYSTEM, e->err, "%s", what);
}

void
neterr_warn(const struct net_err *e)
{
	char what[512];

	neterr_what(e, what, sizeof(what));
	set_hint(e);
	warn(e->err, "%s", what);
}
