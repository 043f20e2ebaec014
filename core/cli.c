/* An applet's command line: parsed by its table, help and usage errors. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "applet.h"
#include "cli.h"
#include "doc.h"
#include "err.h"
#include "listen.h"
#include "opt.h"
#include "out.h"

int
cli_check(const struct applet *ap, const struct alias *al, int argc,
    char **argv, void *conf, struct opt_result *r)
{
	const struct opt *tables[] = { ap->opts, opt_common, NULL };
	struct common *cm = conf;
	int min = al ? al->min_operands : ap->min_operands;
	int max = al ? al->max_operands : ap->max_operands;

	if (opt_parse(tables, argc, argv, conf, r) < 0)
		return -1;
	if (cm->help)
		return 1;
	if (r->noperands < min)
		return opt_fail(r, "the following arguments are required: %s",
		    doc_missing_operands(ap, al, r->noperands));
	if (r->noperands > max)
		return opt_fail(r, "unrecognized arguments: %.64s",
		    r->operands[max]);
	if (cm->ipv4 && cm->ipv6)
		return opt_fail(r, "cannot use -4 with -6");
	return 0;
}

void
cli_usage_error(const struct applet *ap, const struct alias *al,
    const char *prog, const char *fmt, ...)
{
	char msg[OPT_MSG + 64];
	va_list va;

	va_start(va, fmt);
	vsnprintf(msg, sizeof(msg), fmt, va);
	va_end(va);
	err_flush();
	doc_usage_error(ap, al, prog, msg);
	exit(EXIT_USAGE);
}

int
cli_parse(const struct applet *ap, const struct alias *al, const char *prog,
    int argc, char **argv, void *conf, char **operands)
{
	struct common *cm = conf;
	struct opt_result r;
	int rc = cli_check(ap, al, argc, argv, conf, &r);

	if (rc < 0)
		cli_usage_error(ap, al, prog, "%s", r.msg);
	if (rc > 0) {
		doc_help(ap, al, prog);
		err_exit(EXIT_OK);
	}
	memcpy(operands, r.operands, sizeof(char *) * (size_t)r.noperands);
	out_init(cm->json, cm->quiet);
	return r.noperands;
}

void
cli_check_family(const struct applet *ap, const struct alias *al,
    const char *prog, const char *word, int family)
{
	int literal = listen_literal(word);

	if (family == AF_INET6 && literal == AF_INET)
		cli_usage_error(ap, al, prog, "argument -6: %.64s is an IPv4 "
		    "address", word);
	if (family == AF_INET && literal == AF_INET6)
		cli_usage_error(ap, al, prog, "argument -4: %.64s is an IPv6 "
		    "address", word);
}

const char *
cli_listen_word(const struct applet *ap, const struct alias *al,
    const char *prog, const char *word, int family, int beyond)
{
	if (word) {
		cli_check_family(ap, al, prog, word, family);
		return word;
	}
	/* Nothing beyond loopback unless named. */
	if (beyond)
		return "";
	return family == AF_INET6 ? "::1" : "127.0.0.1";
}
