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

/* One row of a table; kind and off are narrow to keep the tables small. */
struct opt {
	char		 sname;		/* short letter, or 0 */
	const char	*lname;		/* long name without dashes, or NULL */
	unsigned char	 kind;		/* enum opt_kind */
	unsigned short	 off;		/* where the value goes in the conf */
	const char	*metavar;
	const char	*help;
	double		 min, max;	/* OPT_INT and OPT_SECS bounds */
	const char *const *choices;	/* OPT_CHOICE words, NULL-ended */
};

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

/* Parse helpers shared with operand checks: 0 on success, -1 if invalid. */
int	opt_parse_int(const char *s, long long *v);
int	opt_parse_double(const char *s, double *v);

#endif
