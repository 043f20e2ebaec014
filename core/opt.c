/* Table-driven option parsing, in argparse's words. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "applet.h"
#include "doc.h"
#include "err.h"
#include "opt.h"
#include "out.h"

#define COMMON(f) offsetof(struct common, f)

const struct opt opt_common[] = {
	OPT('p', "port", OPT_PORT, COMMON(port), "PORT",
	    "port (default 1060)", 0, 0),
	OPT('4', "", OPT_FLAG, COMMON(ipv4), "", "IPv4 only", 0, 0),
	OPT('6', "", OPT_FLAG, COMMON(ipv6), "", "IPv6 only", 0, 0),
	OPT(0, "json", OPT_FLAG, COMMON(json), "",
	    "print one JSON object per event", 0, 0),
	OPT('q', "quiet", OPT_FLAG, COMMON(quiet), "",
	    "print nothing but errors", 0, 0),
	OPT('h', "help", OPT_FLAG, COMMON(help), "",
	    "show this help and exit", 0, 0),
	OPT_END
};

size_t
opt_span(const char *s, const char *set, int in)
{
	size_t n = 0;

	while (s[n] && (strchr(set, s[n]) != NULL) == in)
		n++;
	return n;
}

int
opt_takes_value(const struct opt *o)
{
	return o->kind != OPT_FLAG;
}

const char *
opt_metavar(const struct opt *o)
{
	return o->lname + strlen(o->lname) + 1;
}

const char *
opt_help(const struct opt *o)
{
	const char *mv = opt_metavar(o);

	return mv + strlen(mv) + 1;
}

const char *
opt_choice(const struct opt *o, int k, int *len)
{
	const char *w = opt_metavar(o);

	/* "{sixteen,upper}": step over k commas. */
	for (; k > 0 && *w; w++)
		if (*w == ',')
			k--;
	if (*w == '\0' || *w == '}')
		return NULL;
	w += *w == '{';
	*len = (int)opt_span(w, ",}", 0);
	return w;
}

double
opt_min(const struct opt *o)
{
	return o->kind == OPT_SECS ? o->min / 1000.0 : o->min;
}

double
opt_max(const struct opt *o)
{
	return o->kind == OPT_SECS ? (double)o->max / 1000.0 : (double)o->max;
}

/*
 * What strtoll takes, without its leading blanks and with nothing after the
 * digits; out of range is invalid.  Counting down from 0 reaches LLONG_MIN.
 */
int
opt_parse_int(const char *s, long long *v)
{
	int neg = *s == '-';
	long long n = 0;

	s += *s == '+' || *s == '-';
	if (*s == '\0')
		return -1;
	for (; *s; s++) {
		int d = *s - '0';

		if (d < 0 || d > 9 || n < (LLONG_MIN + d) / 10)
			return -1;
		n = n * 10 - d;
	}
	if (!neg && n == LLONG_MIN)
		return -1;
	*v = neg ? n : -n;
	return 0;
}

int
opt_parse_double(const char *s, double *v)
{
	char *end;

	/* Decimal only: strtod would also take hex, inf and nan. */
	if (*s == '\0' || s[opt_span(s, "0123456789.eE+-", 1)])
		return -1;
	errno = 0;
	*v = strtod(s, &end);
	if (*end || errno || !isfinite(*v))
		return -1;
	return 0;
}

/* "-p/--port" as argparse names an option in its messages. */
static const char *
optname(const struct opt *o)
{
	static char buf[64];

	if (o->sname && o->lname[0])
		snprintf(buf, sizeof(buf), "-%c/--%s", o->sname, o->lname);
	else if (o->sname)
		snprintf(buf, sizeof(buf), "-%c", o->sname);
	else
		snprintf(buf, sizeof(buf), "--%s", o->lname);
	return buf;
}

static int __attribute__((format(printf, 2, 3)))
fail(struct opt_result *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->msg, sizeof(r->msg), fmt, ap);
	va_end(ap);
	return -1;
}

static int
bad_value(struct opt_result *r, const struct opt *o, const char *kind,
    const char *v, const char *range)
{
	return fail(r, "argument %s: invalid %s value: '%.64s'%s%s%s",
	    optname(o), kind, v, range ? " (must be " : "", range ? range : "",
	    range ? ")" : "");
}

static int
store(const struct opt *o, const char *v, void *conf, struct opt_result *r)
{
	char *dst = (char *)conf + o->off;
	char range[64];
	long long i;
	double d, pair[2];

	switch (o->kind) {
	case OPT_FLAG:
		*(int *)(void *)dst = 1;
		return 0;
	case OPT_STR:
	case OPT_HOST:
		*(const char **)(void *)dst = v;
		return 0;
	case OPT_INT:
		snprintf(range, sizeof(range), "%d to %lld", o->min, o->max);
		if (opt_parse_int(v, &i) < 0)
			return bad_value(r, o, "int", v, NULL);
		if (i < o->min || i > o->max)
			return bad_value(r, o, "int", v, range);
		*(long long *)(void *)dst = i;
		return 0;
	case OPT_PORT:
		if (opt_parse_int(v, &i) < 0)
			return bad_value(r, o, "port", v, NULL);
		if (i < 0 || i > 65535)
			return bad_value(r, o, "port", v, "0 to 65535");
		*(int *)(void *)dst = (int)i;
		return 0;
	case OPT_SECS:
		snprintf(range, sizeof(range), "%g to %g seconds", opt_min(o),
		    opt_max(o));
		if (opt_parse_double(v, &d) < 0)
			return bad_value(r, o, "seconds", v, NULL);
		if (d < opt_min(o) || d > opt_max(o))
			return bad_value(r, o, "seconds", v, range);
		*(double *)(void *)dst = d;
		return 0;
	case OPT_RATE:
		if (opt_parse_double(v, &d) < 0)
			return bad_value(r, o, "rate", v, NULL);
		if (d < 0 || d > 1)
			return bad_value(r, o, "rate", v, "0 to 1");
		*(double *)(void *)dst = d;
		return 0;
	case OPT_CHOICE: {
		char list[128] = "";
		const char *w;
		int k, len;

		for (k = 0; (w = opt_choice(o, k, &len)) != NULL; k++) {
			if (strncmp(v, w, (size_t)len) == 0 && v[len] == '\0') {
				*(int *)(void *)dst = k;
				return 0;
			}
			snprintf(list + strlen(list), sizeof(list) -
			    strlen(list), "%s'%.*s'", k ? ", " : "", len, w);
		}
		return fail(r, "argument %s: invalid choice: '%.64s' "
		    "(choose from %s)", optname(o), v, list);
	}
	case OPT_BACKOFF: {
		const char *comma = strchr(v, ',');
		char first[32];

		/* A lone 0 means: send once and wait forever. */
		if (!comma) {
			if (opt_parse_double(v, &d) < 0 || d != 0)
				return bad_value(r, o, "backoff", v,
				    "FIRST,MAX or 0");
			pair[0] = pair[1] = 0;
		} else {
			size_t l = (size_t)(comma - v);

			if (l >= sizeof(first))
				return bad_value(r, o, "backoff", v, NULL);
			memcpy(first, v, l);
			first[l] = '\0';
			if (opt_parse_double(first, &pair[0]) < 0 ||
			    opt_parse_double(comma + 1, &pair[1]) < 0)
				return bad_value(r, o, "backoff", v, NULL);
			if (pair[0] <= 0 || pair[1] < pair[0] || pair[1] > 3600)
				return bad_value(r, o, "backoff", v,
				    "0 < FIRST <= MAX <= 3600");
		}
		memcpy(dst, pair, sizeof(pair));
		return 0;
	}
	}
	return fail(r, "argument %s: unknown kind", optname(o));
}

/*
 * The row a long name (without dashes, up to '=' or end) names: an exact
 * match, else a unique prefix, as argparse allows.  *ambiguous is set when
 * several rows share the prefix.
 */
static const struct opt *
find_long(const struct opt *const *tables, const char *name, size_t len,
    int *ambiguous)
{
	const struct opt *hit = NULL;
	int hits = 0;

	*ambiguous = 0;
	for (int t = 0; tables[t]; t++)
		for (const struct opt *o = tables[t]; o->lname; o++) {
			if (!o->lname[0] || strncmp(o->lname, name, len) != 0)
				continue;
			if (o->lname[len] == '\0')
				return o;
			if (hit != o)
				hits++;
			hit = o;
		}
	if (hits > 1) {
		*ambiguous = 1;
		return NULL;
	}
	return hit;
}

static const struct opt *
find_short(const struct opt *const *tables, char c)
{
	for (int t = 0; tables[t]; t++)
		for (const struct opt *o = tables[t]; o->lname; o++)
			if (o->sname == c)
				return o;
	return NULL;
}

const struct opt *
opt_find(const struct opt *const *tables, const char *word)
{
	int amb;

	if (word[0] != '-' || word[1] == '\0')
		return NULL;
	if (word[1] == '-')
		return find_long(tables, word + 2, opt_span(word + 2, "=", 0), &amb);
	return find_short(tables, word[1]);
}

int
opt_parse(const struct opt *const *tables, int argc, char **argv, void *conf,
    struct opt_result *r)
{
	int dashdash = 0;

	r->noperands = 0;
	r->msg[0] = '\0';
	for (int i = 1; i < argc; i++) {
		char *a = argv[i];
		const struct opt *o;

		if (dashdash || a[0] != '-' || a[1] == '\0') {
			if (r->noperands == OPT_MAX_OPERANDS)
				return fail(r, "unrecognized arguments: %.64s",
				    a);
			r->operands[r->noperands++] = a;
			continue;
		}
		if (strcmp(a, "--") == 0) {
			dashdash = 1;
			continue;
		}
		if (a[1] == '-') {
			size_t len = opt_span(a + 2, "=", 0);
			const char *eq = a[2 + len] ? a + 3 + len : NULL;
			int amb;

			o = find_long(tables, a + 2, len, &amb);
			if (amb)
				return fail(r, "ambiguous option: %.64s", a);
			if (!o)
				return fail(r, "unrecognized arguments: %.64s",
				    a);
			if (!opt_takes_value(o)) {
				if (eq)
					return fail(r, "argument %s: ignored "
					    "explicit argument '%.64s'",
					    optname(o), eq);
				eq = "";
			} else if (!eq) {
				if (i + 1 >= argc)
					return fail(r, "argument %s: expected "
					    "one argument", optname(o));
				eq = argv[++i];
			}
			if (store(o, eq, conf, r) < 0)
				return -1;
			continue;
		}
		/* A cluster of short options: -q46, -p9, -qp 9. */
		for (char *c = a + 1; *c; c++) {
			const char *v = "";

			if (!(o = find_short(tables, *c)))
				return fail(r, "unrecognized arguments: %.64s",
				    a);
			if (opt_takes_value(o)) {
				if (c[1])
					v = c + 1;
				else if (i + 1 < argc)
					v = argv[++i];
				else
					return fail(r, "argument %s: expected "
					    "one argument", optname(o));
				if (store(o, v, conf, r) < 0)
					return -1;
				break;
			}
			if (store(o, v, conf, r) < 0)
				return -1;
		}
	}
	return 0;
}

void
opt_usage_error(const struct applet *ap, const struct alias *al,
    const char *prog, const char *fmt, ...)
{
	char msg[OPT_MSG + 64];
	va_list va;

	va_start(va, fmt);
	vsnprintf(msg, sizeof(msg), fmt, va);
	va_end(va);
	out_flush();
	doc_usage_error(ap, al, prog, msg);
	exit(EXIT_USAGE);
}

int
opt_check(const struct applet *ap, const struct alias *al, int argc,
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
		return fail(r, "the following arguments are required: %s",
		    doc_missing_operands(ap, al, r->noperands));
	if (r->noperands > max)
		return fail(r, "unrecognized arguments: %.64s",
		    r->operands[max]);
	if (cm->ipv4 && cm->ipv6)
		return fail(r, "cannot use -4 with -6");
	return 0;
}

int
opt_cli(const struct applet *ap, const struct alias *al, const char *prog,
    int argc, char **argv, void *conf, char **operands)
{
	struct common *cm = conf;
	struct opt_result r;
	int rc = opt_check(ap, al, argc, argv, conf, &r);

	if (rc < 0)
		opt_usage_error(ap, al, prog, "%s", r.msg);
	if (rc > 0) {
		doc_help(ap, al, prog);
		out_exit(EXIT_OK);
	}
	memcpy(operands, r.operands, sizeof(char *) * (size_t)r.noperands);
	out_init(cm->json, cm->quiet);
	return r.noperands;
}
