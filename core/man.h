/* netdemo(1), the manual page, generated from the applet and option tables. */
#ifndef NETDEMO_MAN_H
#define NETDEMO_MAN_H

/* Write the page as man(7) roff on stdout (core/mkman.c, make man). */
void	man_page(const char *version);

/*
 * The JSON events, applet by applet, with their keys in order.  Events are
 * not in the option tables: tests/install.bats checks this list against
 * the OUT() and out_progress() calls in applets/, so the two cannot drift.
 */
struct man_event {
	const char	*applet;	/* NULL: every applet */
	const char	*event;
	const char	*keys;		/* space-separated */
	const char	*meaning;
};
extern const struct man_event man_events[];	/* ends with a NULL event */

/*
 * The book's transcripts and a few an operator would run.  "$ " starts a
 * command, "#" the text that introduces an example; NULL-ended.
 */
extern const char *const man_examples[];

#endif
