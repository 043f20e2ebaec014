/* Table-driven option parsing; the same tables drive help, man and completion. */
#ifndef NETDEMO_OPT_H
#define NETDEMO_OPT_H

#include <stddef.h>

struct applet;
struct alias;

enum opt_kind {
	OPT_FLAG,	/* int, set to 1 */
	OPT_STR,	/* const char *, any text */
	OPT_HOST,	/* const char *, completed as a host name */
	OPT_INT,	/* long long within [min, max] */
	OPT_PORT,	/* int within 0..65535 */
	OPT_SECS,	/* double seconds within [min, max] */
	OPT_RATE,	/* double within 0..1 */
	OPT_CHOICE,	/* int: index into choices */
	OPT_BACKOFF	/* double[2]: FIRST,MAX seconds, or 0 for forever */
};

/*
 * One row of a table, 24 bytes: the tables are most of what the program
 * keeps in relocated, read-only data, so a row holds one pointer.  lname
 * points at three strings end to end: the long name ("" for none, so
 * lname reads as the long name), the metavar and the help; opt_metavar()
 * and opt_help() find the other two.  A choice's metavar is its words as
 * argparse shows them, "{sixteen,upper}".  OPT_SECS bounds are kept in
 * milliseconds, so that 0.01 needs no double.  A table ends with a row
 * whose lname is NULL.
 */
struct opt {
	const char	*lname;
	char		 sname;		/* short letter, or 0 */
	unsigned char	 kind;		/* enum opt_kind */
	unsigned short	 off;		/* where the value goes in the conf */
	int		 min;		/* OPT_INT and OPT_SECS bounds */
	long long	 max;
};

/*
 * A row as a reader wants it: short letter (or 0), long name (or ""),
 * kind, offset, metavar (or ""), help, bounds (OPT_SECS: in seconds).
 */
#define OPT(s, l, kind, off, metavar, help, min, max)			\
	{ l "\0" metavar "\0" help, s, kind, off, OPT_UNIT(kind, min),	\
	    OPT_UNIT(kind, max) }
#define OPT_UNIT(kind, v)						\
	((kind) == OPT_SECS ? (long long)((v) * 1000 + 0.5) : (long long)(v))
#define OPT_END			{ NULL, 0, 0, 0, 0, 0 }

/* The row's metavar ("" for a flag) and help text. */
const char *opt_metavar(const struct opt *o);
const char *opt_help(const struct opt *o);
/* The k-th word of a choice, its length in *len; NULL past the last. */
const char *opt_choice(const struct opt *o, int k, int *len);
/* The bounds of OPT_INT and OPT_SECS (in seconds) as the user writes them. */
double	opt_min(const struct opt *o);
double	opt_max(const struct opt *o);

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

/* Whether the row takes a value. */
int	opt_takes_value(const struct opt *o);

/*
 * The checks opt_cli() makes, without acting on them: parse with the
 * applet's table and the common rows, then check the operand count (the
 * alias's grammar when there is one) and -4 with -6.  Returns 0, 1 when
 * help was asked for, or -1 with r->msg set.  Never prints, never exits.
 */
int	opt_check(const struct applet *ap, const struct alias *al, int argc,
	    char **argv, void *conf, struct opt_result *r);

/*
 * What applets call: parse with the applet's table and the common rows,
 * print help and exit 0 on -h, print usage and exit 2 on an error, check
 * the operand count (the alias's grammar when there is one).  Returns the
 * number of operands, stored in operands[].
 */
int	opt_cli(const struct applet *ap, const struct alias *al,
	    const char *prog, int argc, char **argv, void *conf,
	    char **operands);

/* Usage errors after parsing (bad operand, conflict): argparse shape, exit 2. */
void	opt_usage_error(const struct applet *ap, const struct alias *al,
	    const char *prog, const char *fmt, ...)
	    __attribute__((noreturn, format(printf, 4, 5)));

/*
 * The length of the run at the start of s of characters in set (in = 1),
 * or not in it (in = 0): strspn and strcspn, which no other code needs.
 */
size_t	opt_span(const char *s, const char *set, int in);

/* Parse helpers shared with operand checks: 0 on success, -1 if invalid. */
int	opt_parse_int(const char *s, long long *v);
int	opt_parse_double(const char *s, double *v);

#endif
