/* Dispatch: which applet or book program a command line names, and its argv. */
#ifndef NETDEMO_DISPATCH_H
#define NETDEMO_DISPATCH_H

#include "opt.h"

struct applet;
struct alias;

/* What a command line asks for (SPEC §2). */
enum dispatch_kind {
	DISPATCH_RUN,		/* run applet with argc/argv */
	DISPATCH_ALIAS_HELP,	/* an alias's help, before any role */
	DISPATCH_USAGE,		/* a usage error: msg (alias set if known) */
	DISPATCH_TOP,		/* netdemo's own options: argv[1] starts '-' */
	DISPATCH_UNKNOWN,	/* no applet by that name: word */
	DISPATCH_NOMEM
};

struct dispatch {
	const struct applet *applet;
	const struct alias *alias;	/* the book program, or NULL */
	char		 prog[128];	/* the name as invoked, for messages */
	int		 argc;
	char		**argv;		/* what the applet's main receives */
	char		**owned;	/* argv when allocated: dispatch_free */
	const char	*word;		/* DISPATCH_UNKNOWN: the name given */
	char		 msg[OPT_MSG];	/* DISPATCH_USAGE: after "error: " */
};

/*
 * Decide from the whole command line: argv[0]'s base name, then argv[1],
 * then argv[1] and argv[2] joined by '-'.  Never prints, never exits, never
 * runs anything; argv is not changed.  Returns the kind, also in the
 * result's meaning above.  Call dispatch_free() after a DISPATCH_RUN.
 */
enum dispatch_kind dispatch(int argc, char **argv, struct dispatch *d);

void	dispatch_free(struct dispatch *d);

/*
 * What dispatch() reads first: the applet or book program the command line
 * names (in *ap, or in *al), and how many of its words named it: 1 for
 * argv[0]'s base name, 2 for argv[1], 3 for argv[1] and argv[2] joined by
 * '-' (an applet only); the name in name.  0 when none does.
 */
int	dispatch_find(int argc, char **argv, const struct applet **ap,
	    const struct alias **al, char *name, size_t cap);

/* The applet or book program a word names ("udp_local.py" too), or NULL. */
const struct applet *dispatch_applet(const char *word);
const struct alias *dispatch_alias(const char *word);

/*
 * The i-th name netdemo answers to (--list, --install, completion): the
 * applets, then the book programs; NULL past the last.
 */
const char *dispatch_name(int i);

#endif
