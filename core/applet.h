/* The applet descriptor and the invocation handed to an applet's main. */
#ifndef NETDEMO_APPLET_H
#define NETDEMO_APPLET_H

struct opt;
struct alias;

/*
 * One applet: its name on the command line, its operand synopsis and bounds,
 * a one-line summary, its option table and its main function.
 */
struct applet {
	const char	*name;		/* "udp-server" */
	const char	*operands;	/* "[INTERFACE]" */
	const char	*summary;
	const struct opt *opts;		/* ends with a zeroed row */
	int		 min_operands;
	int		 max_operands;
	int		(*main)(const struct applet *, const struct alias *,
			    const char *prog, int argc, char **argv);
};

/*
 * A book alias: a program of the book, run by a native applet with a preset.
 * Role-less aliases (big_sender) name only `server'.  A preset is its words
 * end to end, each NUL-ended, then an empty one ("" for none): a string,
 * where an array of pointers would cost a relocated pointer a word.
 */
struct alias {
	const char	*name;		/* "udp_local" */
	const char	*grammar;	/* "{client,server} [-p PORT]" */
	const char	*summary;
	const struct applet *server;
	const char	*server_preset;	/* native options, see below */
	const struct applet *client;	/* NULL when the alias has no roles */
	const char	*client_preset;
	int		 min_operands;	/* the book's grammar, after the role */
	int		 max_operands;
	const char	*operand_names;	/* for "required: role, host" */
};

extern const struct applet *const applets[];	/* NULL-ended */
extern const struct alias aliases[];		/* ends with a zeroed row */

#endif
