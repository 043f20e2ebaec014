/* Help and usage text, generated from the applet and option tables. */
#ifndef NETDEMO_DOC_H
#define NETDEMO_DOC_H

#include "opt.h"

#ifndef NETDEMO_VERSION
#define NETDEMO_VERSION "0.1.0"
#endif

struct applet;
struct alias;

/*
 * "usage: ..." (for an applet, or for an alias with its book grammar;
 * neither: none), then "PROG: error: MSG", on stderr in one write.
 */
void	doc_usage_error(const struct applet *ap, const struct alias *al,
	    const char *prog, const char *msg);
/* The full --help of an applet (al: as run by that alias), on stdout. */
void	doc_help(const struct applet *ap, const struct alias *al,
	    const char *prog);
/* The help of an alias with roles, before its role is known. */
void	doc_alias_help(const struct alias *al, const char *prog);
/*
 * Operand idx of a synopsis (an applet's "HOST [BYTES]", or the book's
 * "{client,server} host [bytecount] [-p PORT]", counted after the role;
 * the role and option groups are skipped) in buf, brackets dropped: 1 when
 * it is required, 0 when optional, -1 past the last.
 */
int	doc_operand(const char *syn, int idx, char *buf, size_t cap);
/* The operands still missing, argparse style: "host" or "HOST". */
const char *doc_missing_operands(const struct applet *ap,
	    const struct alias *al, int have);
/* netdemo --help. */
void	doc_main_help(void);

/* The top-level options of netdemo itself, for help, man and completion. */
extern const struct opt doc_top_opts[];

/*
 * The i-th exit status (SPEC section 5, plus 127 and 141) in *status, for
 * help and man; returns its meaning, or NULL past the last.
 */
const char *doc_exit(int i, int *status);

/* "runs netdemo tcp-client --mode upper --stall 0": what a role maps to. */
void	doc_preset(const struct applet *ap, const char *const *preset,
	    char *buf, size_t cap);

#endif
