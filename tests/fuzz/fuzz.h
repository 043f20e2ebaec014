/* Helpers shared by the libFuzzer targets: argv from bytes, checks. */
#ifndef NETDEMO_FUZZ_H
#define NETDEMO_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/applet.h"
#include "../../core/cli.h"
#include "../../core/opt.h"

/* A failed check: say which and abort, so libFuzzer keeps the input. */
#define FUZZ_CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__,	\
		    __LINE__, #cond);					\
		abort();						\
	}								\
} while (0)

#define FUZZ_MAXARGS	32

/*
 * The input past its first byte (which picks what to check), in an
 * allocation of exactly its size, so ASan sees any read past its end.
 * Free it; size 0 is the caller's to skip.
 */
static inline uint8_t *
fuzz_rest(const uint8_t *data, size_t size)
{
	uint8_t *p = malloc(size - 1 ? size - 1 : 1);

	FUZZ_CHECK(p != NULL);
	memcpy(p, data + 1, size - 1);
	return p;
}

/*
 * An argv made from the input: the bytes split at each NUL, every piece
 * its own allocation (so ASan sees a read past any one of them), then a
 * NULL.  Returns argc; free with fuzz_argv_free().
 */
static inline int
fuzz_argv(const uint8_t *data, size_t size, char **argv)
{
	int argc = 0;
	size_t start = 0;

	for (size_t i = 0; i <= size && argc < FUZZ_MAXARGS; i++) {
		if (i < size && data[i] != '\0')
			continue;
		argv[argc] = malloc(i - start + 1);
		FUZZ_CHECK(argv[argc] != NULL);
		memcpy(argv[argc], data + start, i - start);
		argv[argc][i - start] = '\0';
		argc++;
		start = i + 1;
	}
	argv[argc] = NULL;
	return argc;
}

static inline void
fuzz_argv_free(int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		free(argv[i]);
}

/* Any applet's conf fits here; the checks below make sure of it. */
#define FUZZ_CONF	4096
#define FUZZ_UNSET	0xa5

/*
 * A conf whose common part is zero (as every applet starts it) and whose
 * applet part holds FUZZ_UNSET bytes, so a check can tell what the parser
 * stored.
 */
static inline void
fuzz_conf_init(unsigned char *conf)
{
	memset(conf, FUZZ_UNSET, FUZZ_CONF);
	memset(conf, 0, sizeof(struct common));
}

static inline size_t
fuzz_kind_size(enum opt_kind k)
{
	switch (k) {
	case OPT_FLAG:
	case OPT_PORT:
	case OPT_CHOICE:
	case OPT_BYTE:
		return sizeof(int);
	case OPT_STR:
	case OPT_HOST:
	case OPT_IFACE:
		return sizeof(char *);
	case OPT_LIST:
		return sizeof(struct opt_list);
	case OPT_INT:
		return sizeof(long long);
	case OPT_SECS:
	case OPT_RATE:
		return sizeof(double);
	case OPT_BACKOFF:
		return 2 * sizeof(double);
	}
	FUZZ_CHECK(!"unknown option kind");
	return 0;
}

static inline int
fuzz_unset(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != FUZZ_UNSET)
			return 0;
	return 1;
}

static inline int
fuzz_in_argv(const char *s, int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		if (s >= argv[i] && s <= argv[i] + strlen(argv[i]))
			return 1;
	return 0;
}

/* Whatever the parser stored obeys the row's kind and bounds. */
static inline void
fuzz_check_table(const struct opt *t, const unsigned char *conf, int argc,
    char **argv)
{
	for (const struct opt *o = t; o->lname; o++) {
		size_t n = fuzz_kind_size(o->kind);
		const unsigned char *p = conf + o->off;
		int iv;
		long long ll;
		double d[2];
		const char *s;

		FUZZ_CHECK(o->off + n <= FUZZ_CONF);
		if (t != opt_common && o->off < sizeof(struct common))
			FUZZ_CHECK(!"an applet row inside struct common");
		if (t != opt_common && o->kind != OPT_LIST && fuzz_unset(p, n))
			continue;
		switch (o->kind) {
		case OPT_FLAG:
			memcpy(&iv, p, sizeof(iv));
			FUZZ_CHECK(iv == 0 || iv == 1);
			break;
		case OPT_PORT:
			memcpy(&iv, p, sizeof(iv));
			FUZZ_CHECK(iv >= 0 && iv <= 65535);
			break;
		case OPT_CHOICE: {
			int k = 0, len;

			memcpy(&iv, p, sizeof(iv));
			while (opt_choice(o, k, &len))
				k++;
			FUZZ_CHECK(iv >= 0 && iv < k);
			break;
		}
		case OPT_STR:
		case OPT_HOST:
		case OPT_IFACE:
			memcpy(&s, p, sizeof(s));
			FUZZ_CHECK(s == NULL || fuzz_in_argv(s, argc, argv));
			break;
		case OPT_BYTE:
			memcpy(&iv, p, sizeof(iv));
			FUZZ_CHECK(iv >= 0 && iv <= 255);
			break;
		case OPT_LIST: {
			struct opt_list l;

			memcpy(&l, p, sizeof(l));
			FUZZ_CHECK(l.n >= 0 && l.n <= OPT_LIST_MAX);
			for (int k = 0; k < l.n; k++)
				FUZZ_CHECK(fuzz_in_argv(l.v[k], argc, argv));
			break;
		}
		case OPT_INT:
			memcpy(&ll, p, sizeof(ll));
			FUZZ_CHECK(ll >= o->min && ll <= o->max);
			break;
		case OPT_SECS:
			memcpy(d, p, sizeof(d[0]));
			FUZZ_CHECK(d[0] >= o->min && d[0] <= o->max);
			break;
		case OPT_RATE:
			memcpy(d, p, sizeof(d[0]));
			FUZZ_CHECK(d[0] >= 0 && d[0] <= 1);
			break;
		case OPT_BACKOFF:
			memcpy(d, p, sizeof(d));
			FUZZ_CHECK((d[0] == 0 && d[1] == 0) ||
			    (d[0] > 0 && d[1] >= d[0] && d[1] <= 3600));
			break;
		}
	}
}

/*
 * cli_check() as an applet (run by an alias, or not) would call it, and
 * every promise about the result.
 */
static inline void
fuzz_opt_check(const struct applet *ap, const struct alias *al, int argc,
    char **argv)
{
	_Alignas(max_align_t) unsigned char conf[FUZZ_CONF];
	struct opt_result r;
	int rc, min = al ? al->min_operands : ap->min_operands;
	int max = al ? al->max_operands : ap->max_operands;

	fuzz_conf_init(conf);
	/* A list is appended to: it starts empty, as in every applet. */
	for (const struct opt *o = ap->opts; o->lname; o++)
		if (o->kind == OPT_LIST)
			memset(conf + o->off, 0, sizeof(struct opt_list));
	rc = cli_check(ap, al, argc, argv, conf, &r);
	FUZZ_CHECK(rc >= -1 && rc <= 1);
	FUZZ_CHECK(memchr(r.msg, '\0', sizeof(r.msg)) != NULL);
	FUZZ_CHECK(r.noperands >= 0 && r.noperands <= OPT_MAX_OPERANDS);
	for (int i = 0; i < r.noperands; i++)
		FUZZ_CHECK(fuzz_in_argv(r.operands[i], argc, argv));
	if (rc < 0)
		FUZZ_CHECK(r.msg[0] != '\0');
	if (rc == 0) {
		const struct common *cm = (const void *)conf;

		FUZZ_CHECK(r.noperands >= min && r.noperands <= max);
		FUZZ_CHECK(!(cm->ipv4 && cm->ipv6));
	}
	fuzz_check_table(ap->opts, conf, argc, argv);
	fuzz_check_table(opt_common, conf, argc, argv);
	/* What completion and the role finder ask of the tables. */
	for (int i = 0; i < argc; i++) {
		const struct opt *tables[] = { ap->opts, opt_common, NULL };
		const struct opt *o = opt_find(tables, argv[i]);

		FUZZ_CHECK(o == NULL || o->lname != NULL);
	}
}

#endif
