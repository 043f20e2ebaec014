/* Table-driven option parsing; the same tables drive help, man and completion. */
#ifndef NETDEMO_OPT_H
#define NETDEMO_OPT_H

#include <stddef.h>

enum opt_kind {
	OPT_FLAG,	/* int, set to 1 */
	OPT_STR,	/* const char *, any text */
	OPT_HOST,	/* const char *, completed as a host name */
	OPT_INT,	/* long long within [min, max] */
	OPT_PORT,	/* int within 0..65535 */
	OPT_SECS,	/* double seconds within [min, max] */
	OPT_RATE,	/* double within 0..1 */
	OPT_CHOICE,	/* int: index into the words of the metavar */
	OPT_BACKOFF,	/* double[2]: FIRST,MAX seconds, or 0 for forever */
	OPT_BYTE,	/* int within 0..255, decimal or hex (0xb8) */
	OPT_IFACE,	/* const char *, an interface this machine has */
	OPT_LIST	/* struct opt_list: a text, given once or more */
};

/* An option given several times (--join A --join B), in order. */
#define OPT_LIST_MAX	8
struct opt_list {
	const char	*v[OPT_LIST_MAX];
	int		 n;
};

/* One row of an applet's option table. */
struct opt {
	char		 sname;		/* short letter, or 0 */
	enum opt_kind	 kind;		/* beside the letter: no padding */
	const char	*lname;		/* long name, "" for none */
	size_t		 off;		/* where the value goes in the conf */
	/* "" for a flag; a choice's words as argparse shows them,
	   "{sixteen,upper}" */
	const char	*metavar;
	const char	*help;
	double		 min, max;	/* OPT_INT and OPT_SECS bounds */
};

/*
 * A row: short letter (or 0), long name (or ""), kind, offset, metavar (or
 * ""), help, bounds.  A table ends with OPT_END, whose lname is NULL.
 */
#define OPT(s, l, k, o, m, h, lo, hi)					\
	{ .sname = (s), .lname = (l), .kind = (k), .off = (o),		\
	  .metavar = (m), .help = (h), .min = (lo), .max = (hi) }
#define OPT_END	{ .lname = NULL }

/* The k-th word of a choice, its length in *len; NULL past the last. */
const char *opt_choice(const struct opt *o, int k, int *len);

/*
 * The options every applet takes.  Each applet's conf struct starts with a
 * struct common, so these rows' offsets hold for every conf.
 */
struct common {
	int		 port;
	int		 ipv4;
	int		 ipv6;
	int		 json;
	int		 quiet;
	int		 help;
};
extern const struct opt opt_common[];

#define OPT_MAX_OPERANDS 8
#define OPT_MSG 256

struct opt_result {
	char		*operands[OPT_MAX_OPERANDS];
	int		 noperands;
	char		 msg[OPT_MSG];	/* argparse's text after "error: " */
};

/*
 * Parse argv[1..argc) against the tables (NULL-ended) into conf.  Never
 * prints, never exits: returns 0, or -1 with r->msg set.
 */
int	opt_parse(const struct opt *const *tables, int argc, char **argv,
	    void *conf, struct opt_result *r);

/* The row a word names ("-p", "--port", "--port=9"), or NULL. */
const struct opt *opt_find(const struct opt *const *tables, const char *word);

/*
 * The row whose value is the next word of the command line after word:
 * "-p" "--port" "-qp" leave it next; "-p9", "--port=9", a flag, an operand
 * or an unknown option do not (NULL).
 */
const struct opt *opt_value_next(const struct opt *const *tables,
	    const char *word);

/* Set r->msg as argparse would word it; returns -1. */
int	opt_fail(struct opt_result *r, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/*
 * The row's names, short and long joined by sep ("-p/--port" in messages,
 * "-p, --port" in help), in buf; snprintf()'s length.
 */
int	opt_names(const struct opt *o, const char *sep, char *buf, size_t cap);

/* Whether the row takes a value. */
int	opt_takes_value(const struct opt *o);

/* Parse helpers shared with operand checks: 0 on success, -1 if invalid. */
int	opt_parse_int(const char *s, long long *v);
int	opt_parse_double(const char *s, double *v);

#endif
