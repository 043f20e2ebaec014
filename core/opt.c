/* Table-driven option parsing, in argparse's words. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opt.h"

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

int
opt_takes_value(const struct opt *o)
{
	return o->kind != OPT_FLAG;
}

const char *
opt_choice(const struct opt *o, int k, int *len)
{
	const char *w = o->metavar;

	/* "{sixteen,upper}": step over k commas. */
	for (; k > 0 && *w; w++)
		if (*w == ',')
			k--;
	if (*w == '\0' || *w == '}')
		return NULL;
	w += *w == '{';
	*len = (int)strcspn(w, ",}");
	return w;
}

/* A decimal integer, all of s, in range for a long long. */
int
opt_parse_int(const char *s, long long *v)
{
	char *end;

	/* strtoll also skips leading blanks; argparse's int() does not. */
	if (*s == '\0' || isspace((unsigned char)*s))
		return -1;
	errno = 0;
	*v = strtoll(s, &end, 10);
	return *end || errno ? -1 : 0;
}

int
opt_parse_double(const char *s, double *v)
{
	char *end;

	/* Decimal only: strtod would also take hex, inf and nan. */
	if (*s == '\0' || s[strspn(s, "0123456789.eE+-")])
		return -1;
	errno = 0;
	*v = strtod(s, &end);
	if (*end || errno || !isfinite(*v))
		return -1;
	return 0;
}

int
opt_names(const struct opt *o, const char *sep, char *buf, size_t cap)
{
	if (o->sname && o->lname[0])
		return snprintf(buf, cap, "-%c%s--%s", o->sname, sep, o->lname);
	if (o->sname)
		return snprintf(buf, cap, "-%c", o->sname);
	return snprintf(buf, cap, "--%s", o->lname);
}

/* "-p/--port" as argparse names an option in its messages. */
static const char *
optname(const struct opt *o)
{
	static char buf[64];

	opt_names(o, "/", buf, sizeof(buf));
	return buf;
}

int
opt_fail(struct opt_result *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->msg, sizeof(r->msg), fmt, ap);
	va_end(ap);
	return -1;
}

/* A choice's value: the index of its word, or an argparse error. */
static int
store_choice(const struct opt *o, const char *name, const char *v, int *dst,
    struct opt_result *r)
{
	char list[128] = "";
	const char *w;
	int k, len;

	for (k = 0; (w = opt_choice(o, k, &len)) != NULL; k++) {
		if (strncmp(v, w, (size_t)len) == 0 && v[len] == '\0') {
			*dst = k;
			return 0;
		}
		snprintf(list + strlen(list), sizeof(list) - strlen(list),
		    "%s'%.*s'", k ? ", " : "", len, w);
	}
	return opt_fail(r, "argument %s: invalid choice: '%.64s' (choose from %s)",
	    name, v, list);
}

/*
 * FIRST,MAX seconds, or a lone 0: send once and wait forever.  Parsed
 * apart and stored only when valid, as every other kind: a conf is never
 * left half-written by a value that failed.
 */
static int
store_backoff(const char *name, const char *v, double *pair,
    struct opt_result *r)
{
	const char *comma = strchr(v, ',');
	char first[32];
	double b[2] = { 0, 0 };
	size_t l;

	if (!comma) {
		if (opt_parse_double(v, &b[0]) < 0 || b[0] != 0)
			return opt_fail(r, "argument %s: invalid backoff value: "
			    "'%.64s' (must be FIRST,MAX or 0)", name, v);
		pair[0] = pair[1] = 0;
		return 0;
	}
	l = (size_t)(comma - v);
	if (l < sizeof(first)) {
		memcpy(first, v, l);
		first[l] = '\0';
	}
	if (l >= sizeof(first) || opt_parse_double(first, &b[0]) < 0 ||
	    opt_parse_double(comma + 1, &b[1]) < 0)
		return opt_fail(r, "argument %s: invalid backoff value: '%.64s'",
		    name, v);
	if (b[0] <= 0 || b[1] < b[0] || b[1] > 3600)
		return opt_fail(r, "argument %s: invalid backoff value: '%.64s' "
		    "(must be 0 < FIRST <= MAX <= 3600)", name, v);
	pair[0] = b[0];
	pair[1] = b[1];
	return 0;
}

/* A byte, 0 to 255: decimal, or hex after 0x (a TOS byte reads as 0xb8). */
static int
store_byte(const char *name, const char *v, int *dst, struct opt_result *r)
{
	const char *digits = v;
	char *end;
	long long n;

	if (v[0] == '0' && (v[1] == 'x' || v[1] == 'X'))
		digits = v + 2;
	errno = 0;
	n = strtoll(digits, &end, digits == v ? 10 : 16);
	/* All digits: strtoll would also skip blanks and take a sign. */
	if (!isxdigit((unsigned char)*digits) || *end || errno)
		return opt_fail(r, "argument %s: invalid byte value: '%.64s'",
		    name, v);
	if (n < 0 || n > 255)
		return opt_fail(r, "argument %s: invalid byte value: '%.64s' "
		    "(must be 0 to 255, or 0x00 to 0xff)", name, v);
	*dst = (int)n;
	return 0;
}

static int
store(const struct opt *o, const char *v, void *conf, struct opt_result *r)
{
	void *dst = (char *)conf + o->off;
	/* Each message names the option as argparse does. */
	const char *name = optname(o);
	long long i;
	double d;

	switch (o->kind) {
	case OPT_FLAG:
		*(int *)dst = 1;
		return 0;
	case OPT_STR:
	case OPT_HOST:
		*(const char **)dst = v;
		return 0;
	case OPT_INT:
		if (opt_parse_int(v, &i) < 0)
			return opt_fail(r, "argument %s: invalid int value: "
			    "'%.64s'", name, v);
		if (i < o->min || i > o->max)
			return opt_fail(r, "argument %s: invalid int value: "
			    "'%.64s' (must be %.0f to %.0f)", name, v,
			    o->min, o->max);
		*(long long *)dst = i;
		return 0;
	case OPT_PORT:
		if (opt_parse_int(v, &i) < 0)
			return opt_fail(r, "argument %s: invalid port value: "
			    "'%.64s'", name, v);
		if (i < 0 || i > 65535)
			return opt_fail(r, "argument %s: invalid port value: "
			    "'%.64s' (must be 0 to 65535)", name, v);
		*(int *)dst = (int)i;
		return 0;
	case OPT_SECS:
		if (opt_parse_double(v, &d) < 0)
			return opt_fail(r, "argument %s: invalid seconds value: "
			    "'%.64s'", name, v);
		if (d < o->min || d > o->max)
			return opt_fail(r, "argument %s: invalid seconds value: "
			    "'%.64s' (must be %g to %g seconds)", name,
			    v, o->min, o->max);
		*(double *)dst = d;
		return 0;
	case OPT_RATE:
		if (opt_parse_double(v, &d) < 0)
			return opt_fail(r, "argument %s: invalid rate value: "
			    "'%.64s'", name, v);
		if (d < 0 || d > 1)
			return opt_fail(r, "argument %s: invalid rate value: "
			    "'%.64s' (must be 0 to 1)", name, v);
		*(double *)dst = d;
		return 0;
	case OPT_CHOICE:
		return store_choice(o, name, v, dst, r);
	case OPT_BACKOFF:
		return store_backoff(name, v, dst, r);
	case OPT_BYTE:
		return store_byte(name, v, dst, r);
	case OPT_IFACE:
		/* Checked here, so a typo is told before any socket. */
		if (if_nametoindex(v) == 0)
			return opt_fail(r, "argument %s: no such interface: "
			    "'%.64s'", name, v);
		*(const char **)dst = v;
		return 0;
	case OPT_LIST: {
		struct opt_list *l = dst;

		if (l->n == OPT_LIST_MAX)
			return opt_fail(r, "argument %s: at most %d of them",
			    name, OPT_LIST_MAX);
		l->v[l->n++] = v;
		return 0;
	}
	}
	return opt_fail(r, "argument %s: unknown kind", name);
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
		return find_long(tables, word + 2, strcspn(word + 2, "="),
		    &amb);
	return find_short(tables, word[1]);
}

const struct opt *
opt_value_next(const struct opt *const *tables, const char *word)
{
	const struct opt *o;

	if (word[0] != '-' || word[1] == '\0')
		return NULL;
	if (word[1] == '-') {
		o = opt_find(tables, word);
		return o && opt_takes_value(o) && !strchr(word, '=') ? o : NULL;
	}
	/* A cluster: -q46, -p9 (value inside), -qp (value next). */
	for (const char *c = word + 1; *c; c++) {
		if (!(o = find_short(tables, *c)))
			return NULL;
		if (opt_takes_value(o))
			return c[1] ? NULL : o;
	}
	return NULL;
}

/* The word after argv[*i] as o's value; argparse's error when none is. */
static int
store_next(const struct opt *o, int argc, char **argv, int *i, void *conf,
    struct opt_result *r)
{
	if (*i + 1 >= argc)
		return opt_fail(r, "argument %s: expected one argument",
		    optname(o));
	return store(o, argv[++*i], conf, r);
}

/* --name or --name=value at argv[*i]; may take the next word as value. */
static int
parse_long(const struct opt *const *tables, int argc, char **argv, int *i,
    void *conf, struct opt_result *r)
{
	const char *a = argv[*i];
	size_t len = strcspn(a + 2, "=");
	const char *eq = a[2 + len] ? a + 3 + len : NULL;
	const struct opt *o;
	int amb;

	o = find_long(tables, a + 2, len, &amb);
	if (amb)
		return opt_fail(r, "ambiguous option: %.64s", a);
	if (!o)
		return opt_fail(r, "unrecognized arguments: %.64s", a);
	if (!opt_takes_value(o)) {
		if (eq)
			return opt_fail(r, "argument %s: ignored explicit "
			    "argument '%.64s'", optname(o), eq);
		eq = "";
	} else if (!eq)
		return store_next(o, argc, argv, i, conf, r);
	return store(o, eq, conf, r);
}

/* A cluster of short options at argv[*i]: -q46, -p9, -qp 9. */
static int
parse_short(const struct opt *const *tables, int argc, char **argv, int *i,
    void *conf, struct opt_result *r)
{
	const char *a = argv[*i];
	const struct opt *o;

	for (const char *c = a + 1; *c; c++) {
		if (!(o = find_short(tables, *c)))
			return opt_fail(r, "unrecognized arguments: %.64s", a);
		if (!opt_takes_value(o)) {
			if (store(o, "", conf, r) < 0)
				return -1;
			continue;
		}
		if (c[1])
			return store(o, c + 1, conf, r);
		return store_next(o, argc, argv, i, conf, r);
	}
	return 0;
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
		int rc;

		if (dashdash || a[0] != '-' || a[1] == '\0') {
			if (r->noperands == OPT_MAX_OPERANDS)
				return opt_fail(r, "unrecognized arguments: %.64s",
				    a);
			r->operands[r->noperands++] = a;
			continue;
		}
		if (strcmp(a, "--") == 0) {
			dashdash = 1;
			continue;
		}
		rc = a[1] == '-' ? parse_long(tables, argc, argv, &i, conf, r) :
		    parse_short(tables, argc, argv, &i, conf, r);
		if (rc < 0)
			return -1;
	}
	return 0;
}
