/* An applet's command line: parsed by its table, help and usage errors. */
#ifndef NETDEMO_CLI_H
#define NETDEMO_CLI_H

#include "opt.h"

struct applet;
struct alias;

/*
 * The four rows of a client's option table for a struct aim (core/aim.h)
 * at member field of its conf type: where its packets leave from and how
 * they are marked.
 */
#define CLI_AIM_OPTS(type, field)					\
	OPT('s', "source", OPT_HOST, offsetof(type, field.source), "ADDR", \
	    "send from this local address", 0, 0),			\
	OPT('I', "interface", OPT_IFACE, offsetof(type, field.iface),	\
	    "IFACE", "send through this interface only", 0, 0),	\
	OPT(0, "tos", OPT_BYTE, offsetof(type, field.tos), "N",	\
	    "mark packets with this TOS / traffic class byte", 0, 0),	\
	OPT(0, "ttl", OPT_INT, offsetof(type, field.ttl), "N",		\
	    "send with this TTL / hop limit (multicast: default 1)", 1, 255)

/*
 * The checks cli_parse() makes, without acting on them: parse with the
 * applet's table and the common rows, then check the operand count (the
 * alias's grammar when there is one) and -4 with -6.  Returns 0, 1 when
 * help was asked for, or -1 with r->msg set.  Never prints, never exits.
 */
int	cli_check(const struct applet *ap, const struct alias *al, int argc,
	    char **argv, void *conf, struct opt_result *r);

/*
 * What applets call: cli_check(), then help on stdout and exit 0 on -h,
 * usage and exit 2 on an error; else set the output mode from the common
 * options.  Returns the number of operands, stored in operands[].
 */
int	cli_parse(const struct applet *ap, const struct alias *al,
	    const char *prog, int argc, char **argv, void *conf,
	    char **operands);

/*
 * The family of an address literal: AF_INET for "127.0.0.1", AF_INET6 for
 * "::1" or "fe80::1%eth0", 0 for a name (or NULL).
 */
int	cli_literal_family(const char *host);

/*
 * A usage error unless the address literal host (a name passes) is of
 * family (AF_INET for -4, AF_INET6 for -6, 0 for either) and of the family
 * of the literal source, if one is given (-s/--source).  Nothing is looked
 * up: a name's family is for the resolver to find.
 */
void	cli_check_family(const struct applet *ap, const struct alias *al,
	    const char *prog, const char *host, int family,
	    const char *source);

/*
 * The address family a client's host and options agree on: AF_INET or
 * AF_INET6 when -4, -6, a literal host or a literal --source says, 0 when
 * a name may decide; a disagreement is cli_check_family()'s usage error.
 */
int	cli_family(const struct applet *ap, const struct alias *al,
	    const char *prog, const struct common *c, const char *host,
	    const char *source);

/*
 * A usage error found after parsing (a bad operand, a conflict), in
 * argparse's shape: the usage line, "PROG: error: MESSAGE", exit 2.
 */
void	cli_usage_error(const struct applet *ap, const struct alias *al,
	    const char *prog, const char *fmt, ...)
	    __attribute__((noreturn, format(printf, 4, 5)));

/*
 * What a server listens on: its INTERFACE operand word, checked with
 * cli_check_family(); with none, "" (every address) when beyond is set
 * (-I named an interface), else loopback: 127.0.0.1, or ::1 with -6.
 */
const char *cli_listen_word(const struct applet *ap, const struct alias *al,
	    const char *prog, const char *word, int family, int beyond);

#endif
