/* An applet's command line: parsed by its table, help and usage errors. */
#include <arpa/inet.h>
#include <netinet/in.h>
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

int
cli_literal_family(const char *host)
{
	unsigned char a[sizeof(struct in6_addr)];
	char v6[INET6_ADDRSTRLEN];
	size_t n;

	if (host == NULL)
		return 0;
	if (inet_pton(AF_INET, host, a) == 1)
		return AF_INET;
	/* A zone ("%eth0") is not part of the address. */
	n = strcspn(host, "%");
	if (n >= sizeof(v6))
		return 0;
	memcpy(v6, host, n);
	v6[n] = '\0';
	return inet_pton(AF_INET6, v6, a) == 1 ? AF_INET6 : 0;
}

void
cli_check_family(const struct applet *ap, const struct alias *al,
    const char *prog, const char *host, int family, const char *source)
{
	int h = cli_literal_family(host), s = cli_literal_family(source);

	if (family == AF_INET6 && h == AF_INET)
		cli_usage_error(ap, al, prog, "cannot use -6 with the IPv4 "
		    "address '%.64s'", host);
	if (family == AF_INET && h == AF_INET6)
		cli_usage_error(ap, al, prog, "cannot use -4 with the IPv6 "
		    "address '%.64s'", host);
	if (family == AF_INET6 && s == AF_INET)
		cli_usage_error(ap, al, prog, "cannot use -6 with the IPv4 "
		    "source '%.64s'", source);
	if (family == AF_INET && s == AF_INET6)
		cli_usage_error(ap, al, prog, "cannot use -4 with the IPv6 "
		    "source '%.64s'", source);
	if (h && s && h != s)
		cli_usage_error(ap, al, prog, "cannot use the source '%.64s' "
		    "with '%.64s': not the same address family", source, host);
}

const char *
cli_listen_word(const struct applet *ap, const struct alias *al,
    const char *prog, const char *word, int family, int beyond)
{
	if (word) {
		cli_check_family(ap, al, prog, word, family, NULL);
		return word;
	}
	/* Nothing beyond loopback unless named. */
	if (beyond)
		return "";
	return family == AF_INET6 ? "::1" : "127.0.0.1";
}

int
cli_family(const struct applet *ap, const struct alias *al, const char *prog,
    const struct common *c, const char *host, const char *source)
{
	int want = c->ipv4 ? AF_INET : c->ipv6 ? AF_INET6 : 0;
	int h = cli_literal_family(host), s = cli_literal_family(source);

	cli_check_family(ap, al, prog, host, want, source);
	return want ? want : h ? h : s;
}
