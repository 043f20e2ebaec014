/* Help and usage text, generated from the applet and option tables. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "applet.h"
#include "doc.h"
#include "opt.h"
#include "out.h"

static void
fdputs(int fd, const char *s)
{
	if (fd == STDOUT_FILENO) {
		out_text(s);
		return;
	}
	/* stderr: usage errors are short; one write per piece is fine. */
	for (size_t len = strlen(s); len > 0;) {
		ssize_t n = write(fd, s, len);

		if (n <= 0)
			return;
		s += n;
		len -= (size_t)n;
	}
}

void
doc_usage(const struct applet *ap, const struct alias *al, const char *prog,
    int fd)
{
	char buf[512];

	if (al)
		snprintf(buf, sizeof(buf), "usage: %s %s\n", prog,
		    al->grammar);
	else
		snprintf(buf, sizeof(buf), "usage: %s [options]%s%s\n", prog,
		    ap->operands[0] ? " " : "", ap->operands);
	fdputs(fd, buf);
}

void
doc_usage_error(const struct applet *ap, const struct alias *al,
    const char *prog, const char *msg)
{
	char buf[512];

	/* Before the role is known, an alias shows its grammar alone. */
	if (ap || al)
		doc_usage(ap, al, prog, STDERR_FILENO);
	snprintf(buf, sizeof(buf), "%s: error: %s\n", prog, msg);
	fdputs(STDERR_FILENO, buf);
}

/* "--mode {sixteen,upper}": argparse shows a choice's words. */
static void
option_left(const struct opt *o, char *left, size_t cap)
{
	size_t n = 0;

	left[0] = '\0';
	if (o->sname)
		n += (size_t)snprintf(left, cap, "-%c%s", o->sname,
		    o->lname ? ", " : "");
	if (o->lname && n < cap)
		n += (size_t)snprintf(left + n, cap - n, "--%s", o->lname);
	if (!opt_takes_value(o) || n >= cap)
		return;
	if (o->kind != OPT_CHOICE) {
		snprintf(left + n, cap - n, " %s", o->metavar);
		return;
	}
	for (int k = 0; o->choices[k] && n < cap; k++)
		n += (size_t)snprintf(left + n, cap - n, "%s%s",
		    k ? "," : " {", o->choices[k]);
	if (n < cap)
		snprintf(left + n, cap - n, "}");
}

static void
help_options(const struct opt *opts)
{
	char left[96], line[512];

	for (const struct opt *o = opts; o->help; o++) {
		option_left(o, left, sizeof(left));
		if (strlen(left) < 22)
			snprintf(line, sizeof(line), "  %-22s%s\n", left,
			    o->help);
		else
			snprintf(line, sizeof(line), "  %s\n  %-22s%s\n", left,
			    "", o->help);
		out_text(line);
	}
}

void
doc_help(const struct applet *ap, const struct alias *al, const char *prog)
{
	doc_usage(ap, al, prog, STDOUT_FILENO);
	out_text("\n");
	out_text(al ? al->summary : ap->summary);
	out_text("\n");
	if (al) {
		out_text("Runs netdemo ");
		out_text(ap->name);
		out_text(", so its options work here too.\n");
	}
	out_text("\noptions:\n");
	help_options(ap->opts);
	help_options(opt_common);
}

void
doc_alias_help(const struct alias *al, const char *prog)
{
	doc_usage(NULL, al, prog, STDOUT_FILENO);
	out_text("\n");
	out_text(al->summary);
	out_text("\n\n");
	if (al->client) {
		out_text("roles:\n  server                runs netdemo ");
		out_text(al->server->name);
		out_text("\n  client                runs netdemo ");
		out_text(al->client->name);
		out_text("\n\nSee '");
		out_text(prog);
		out_text(" server --help' for every option of a role.\n");
	} else {
		out_text("options:\n");
		help_options(al->server->opts);
		help_options(opt_common);
	}
}

const char *
doc_missing_operands(const struct applet *ap, const struct alias *al,
    int have)
{
	static char buf[128];
	const char *s = al ? al->operand_names : ap->operands;
	int i = 0;

	buf[0] = '\0';
	/* Required operands are the unbracketed words of the synopsis. */
	while (*s) {
		size_t len;

		s += strspn(s, " ,");
		len = strcspn(s, " ,");
		if (len && *s != '[' && i++ >= have)
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf),
			    "%s%.*s", buf[0] ? ", " : "", (int)len, s);
		s += len;
	}
	return buf;
}

void
doc_main_help(void)
{
	char line[256];

	out_text("usage: netdemo APPLET [ARGS...]\n"
	    "   or: netdemo udp|tcp|mtu server|client|probe [ARGS...]\n"
	    "   or: APPLET [ARGS...]   (through a link named after it)\n\n"
	    "The UDP and TCP programs of Foundations of Python Network "
	    "Programming,\nchapters 2 and 3, and a network check for "
	    "machines without Python.\n\napplets:\n");
	for (int i = 0; applets[i]; i++) {
		snprintf(line, sizeof(line), "  %-16s%s\n", applets[i]->name,
		    applets[i]->summary);
		out_text(line);
	}
	out_text("\nthe book's programs:\n");
	for (const struct alias *al = aliases; al->name; al++) {
		snprintf(line, sizeof(line), "  %-16s%s\n", al->name,
		    al->grammar);
		out_text(line);
	}
	out_text("\noptions:\n"
	    "  --help [APPLET]       this help, or an applet's\n"
	    "  --list                applets and book programs, one a line\n"
	    "  --install DIR         make a link in DIR for every name\n"
	    "  --version             print the version\n\n"
	    "Exit status: 0 done, 1 system or network error, 2 usage error,\n"
	    "3 gave up waiting, 127 unknown applet, 130 interrupted.\n");
}
