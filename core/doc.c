/* Help and usage text, generated from the applet and option tables. */
#include <stdio.h>
#include <string.h>

#include "applet.h"
#include "doc.h"
#include "err.h"
#include "opt.h"
#include "out.h"

/* "usage: ..." for an applet, or for an alias with its book grammar. */
static size_t
usage(const struct applet *ap, const struct alias *al, const char *prog,
    char *buf, size_t cap)
{
	int n;

	if (al)
		n = snprintf(buf, cap, "usage: %s %s\n", prog, al->grammar);
	else
		n = snprintf(buf, cap, "usage: %s [options]%s%s\n", prog,
		    ap->operands[0] ? " " : "", ap->operands);
	return n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
}

void
doc_usage_error(const struct applet *ap, const struct alias *al,
    const char *prog, const char *msg)
{
	char buf[1024];
	size_t n = 0;
	int m;

	/* Before the role is known, an alias shows its grammar alone. */
	if (ap || al)
		n = usage(ap, al, prog, buf, sizeof(buf));
	m = snprintf(buf + n, sizeof(buf) - n, "%s: error: %s\n", prog, msg);
	if (m > 0)
		err_write(buf, n + (size_t)m < sizeof(buf) ? n + (size_t)m :
		    sizeof(buf) - 1);
}

/* The usage line, a blank line and the summary: where help starts. */
static void
help_head(const struct applet *ap, const struct alias *al, const char *prog,
    const char *summary)
{
	char buf[512];

	usage(ap, al, prog, buf, sizeof(buf));
	out_text(buf);
	out_text("\n");
	out_text(summary);
	out_text("\n");
}

/* "-c, --count N", "--mode {sixteen,upper}": the left column of help. */
static void
option_left(const struct opt *o, char *left, size_t cap)
{
	int n = opt_names(o, ", ", left, cap);

	if (opt_takes_value(o) && n >= 0 && (size_t)n < cap)
		snprintf(left + n, cap - (size_t)n, " %s", o->metavar);
}

/*
 * A left column, then text wrapped to 79 columns under column col; a left
 * part too wide for its column gets a line of its own, as argparse does.
 */
static void
put_column(const char *left, int col, const char *text)
{
	char line[160];
	int n;

	n = snprintf(line, sizeof(line), "  %s", left);
	if (n >= col) {
		out_text(line);
		out_text("\n");
		n = 0;
	}
	n += snprintf(line + n, sizeof(line) - (size_t)n, "%*s", col - n, "");
	while (*text) {
		size_t w;

		text += strspn(text, " \n");
		w = strcspn(text, " \n");
		if (w == 0)
			break;
		if (n > col && n + 1 + (int)w > 79) {
			out_text(line);
			out_text("\n");
			n = snprintf(line, sizeof(line), "%*s", col, "");
		}
		if ((size_t)n + w + 2 > sizeof(line))
			w = sizeof(line) - (size_t)n - 2;
		n += snprintf(line + n, sizeof(line) - (size_t)n, "%s%.*s",
		    n > col ? " " : "", (int)w, text);
		text += w;
	}
	out_text(line);
	out_text("\n");
}

static void
help_options(const struct opt *opts)
{
	char left[96];

	for (const struct opt *o = opts; o->lname; o++) {
		option_left(o, left, sizeof(left));
		put_column(left, 24, o->help);
	}
}

/* The preset an alias gives the applet of one of its roles. */
static const char *const *
preset_of(const struct applet *ap, const struct alias *al)
{
	return ap == al->server ? al->server_preset : al->client_preset;
}

void
doc_preset(const struct applet *ap, const char *const *preset, char *buf,
    size_t cap)
{
	size_t n = (size_t)snprintf(buf, cap, "netdemo %s", ap->name);

	/* Quote a word the shell would split, so the line can be pasted. */
	for (; *preset && n < cap; preset++)
		n += (size_t)snprintf(buf + n, cap - n,
		    strchr(*preset, ' ') ? " '%s'" : " %s", *preset);
}

void
doc_help(const struct applet *ap, const struct alias *al, const char *prog)
{
	help_head(ap, al, prog, al ? al->summary : ap->summary);
	if (al) {
		char runs[256];

		doc_preset(ap, preset_of(ap, al), runs, sizeof(runs));
		out_text("Runs ");
		out_text(runs);
		out_text(", so its options work here too.\n");
	}
	out_text("\noptions:\n");
	help_options(ap->opts);
	help_options(opt_common);
}

void
doc_alias_help(const struct alias *al, const char *prog)
{
	char runs[256] = "runs ";

	help_head(NULL, al, prog, al->summary);
	out_text("\nroles:\n");
	doc_preset(al->server, al->server_preset, runs + 5, sizeof(runs) - 5);
	put_column("server", 24, runs);
	doc_preset(al->client, al->client_preset, runs + 5, sizeof(runs) - 5);
	put_column("client", 24, runs);
	out_text("\nSee '");
	out_text(prog);
	out_text(" server --help' for every option of a role.\n");
}

int
doc_operand(const char *syn, int idx, char *buf, size_t cap)
{
	while (*syn) {
		size_t len;

		syn += strspn(syn, " ");
		len = strcspn(syn, " ");
		if (len == 0)
			break;
		if (syn[0] == '[' && syn[1] == '-') {
			const char *end = strchr(syn, ']');

			syn = end ? end + 1 : syn + strlen(syn);
			continue;
		}
		if (syn[0] != '{' && idx-- == 0) {
			size_t optional = syn[0] == '[';

			snprintf(buf, cap, "%.*s", (int)(len - optional),
			    syn + optional);
			buf[strcspn(buf, "].")] = '\0';
			return !optional;
		}
		syn += len;
	}
	return -1;
}

const char *
doc_missing_operands(const struct applet *ap, const struct alias *al,
    int have)
{
	static char buf[128];
	char name[32];
	size_t n = 0;

	buf[0] = '\0';
	/* Required operands come first in a synopsis, without brackets. */
	for (; doc_operand(al ? al->grammar : ap->operands, have, name,
	    sizeof(name)) == 1 && n < sizeof(buf); have++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s",
		    n ? ", " : "", name);
	return buf;
}

const struct opt doc_top_opts[] = {
	OPT('h', "help", OPT_STR, 0, "[APPLET]",
	    "this help, or the help of an applet or book program", 0, 0),
	OPT(0, "list", OPT_FLAG, 0, "",
	    "applets and book programs, one a line", 0, 0),
	OPT(0, "install", OPT_STR, 0, "DIR",
	    "make a link in DIR for every applet and book program", 0, 0),
	OPT(0, "complete", OPT_STR, 0, "WORD...",
	    "the words that may replace the last WORD of a command line "
	    "(for shell completion)", 0, 0),
	OPT(0, "version", OPT_FLAG, 0, "", "print the version", 0, 0),
	OPT_END
};

/* SPEC section 5's exit statuses, with 4, 127 and 141, for help and man. */
static const struct {
	int		 status;
	const char	*meaning;
} exits[] = {
	{ EXIT_OK, "done" },
	{ EXIT_SYSTEM, "a system or network error" },
	{ EXIT_USAGE, "usage error: a bad option, value or operand" },
	{ EXIT_GAVE_UP, "gave up waiting: server down after the backoff, a "
	    "stalled transfer, a timeout" },
	{ EXIT_ELSEWHERE, "answered from elsewhere: udp-client had no reply "
	    "from the server's address, but datagrams came back from another "
	    "one" },
	{ EXIT_UNKNOWN, "unknown applet" },
	{ 128 + 2, "interrupted (Ctrl-C), after a clean shutdown; other "
	    "signals give 128 + their number, 143 for SIGTERM" },
	{ EXIT_EPIPE, "standard output was closed by its reader (head -1, "
	    "say)" },
};

const char *
doc_exit(int i, int *status)
{
	if (i < 0 || i >= (int)(sizeof(exits) / sizeof(exits[0])))
		return NULL;
	*status = exits[i].status;
	return exits[i].meaning;
}

void
doc_main_help(void)
{
	const char *meaning;
	char num[16];
	int status;

	out_text("usage: netdemo APPLET [ARGS...]\n"
	    "   or: netdemo udp|tcp|mtu server|client|probe [ARGS...]\n"
	    "   or: APPLET [ARGS...]   (through a link named after it)\n\n"
	    "The UDP and TCP programs of Foundations of Python Network "
	    "Programming,\nchapters 2 and 3, and a network check for "
	    "machines without Python.\n\napplets:\n");
	for (int i = 0; applets[i]; i++)
		put_column(applets[i]->name, 18, applets[i]->summary);
	out_text("\nthe book's programs:\n");
	for (const struct alias *al = aliases; al->name; al++)
		put_column(al->name, 18, al->grammar);
	out_text("\noptions:\n");
	help_options(doc_top_opts);
	out_text("\nexit status:\n");
	for (int i = 0; (meaning = doc_exit(i, &status)) != NULL; i++) {
		snprintf(num, sizeof(num), "%d", status);
		put_column(num, 8, meaning);
	}
}
