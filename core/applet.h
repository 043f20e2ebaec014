/* The applet descriptor and the invocation handed to an applet's main. */
#ifndef NETDEMO_APPLET_H
#define NETDEMO_APPLET_H

struct opt;
struct alias;

/*
 * One applet: its name on the command line, its operand synopsis and bounds,
 * a one-line summary and its option table.  The function that runs it is
 * found by applet_run(): the descriptor holds only what the help, the man
 * page and the completion read, so that mkman links no network code.
 */
struct applet {
	const char	*name;		/* "udp-server" */
	const char	*operands;	/* "[INTERFACE]" */
	const char	*summary;
	const struct opt *opts;		/* ends with OPT_END */
	int		 min_operands;
	int		 max_operands;
};

/*
 * A book alias: a program of the book, run by a native applet with a preset
 * of its native options, NULL-ended words that go before the user's own.
 * Role-less aliases (big_sender) name only `server'.
 */
struct alias {
	const char	*name;		/* "udp_local" */
	const char	*grammar;	/* "{client,server} [-p PORT]" */
	const char	*summary;
	const struct applet *server;
	const char *const *server_preset;
	const struct applet *client;	/* NULL when the alias has no roles */
	const char *const *client_preset;
	int		 min_operands;	/* the book's grammar, after the role */
	int		 max_operands;
};

extern const struct applet *const applets[];	/* NULL-ended */
extern const struct alias aliases[];		/* ends with a zeroed row */

/*
 * Run applet ap (as alias al, or NULL) with its own argv; returns the exit
 * status.  prog is the name as invoked, for messages.
 */
int	applet_run(const struct applet *ap, const struct alias *al,
	    const char *prog, int argc, char **argv);

#endif
