/* An applet's command line: parsed by its table, help and usage errors. */
#ifndef NETDEMO_CLI_H
#define NETDEMO_CLI_H

#include "opt.h"

struct applet;
struct alias;

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
 * A usage error found after parsing (a bad operand, a conflict), in
 * argparse's shape: the usage line, "PROG: error: MESSAGE", exit 2.
 */
void	cli_usage_error(const struct applet *ap, const struct alias *al,
	    const char *prog, const char *fmt, ...)
	    __attribute__((noreturn, format(printf, 4, 5)));

#endif
