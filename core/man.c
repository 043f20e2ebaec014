/* netdemo(1), the manual page, generated from the applet and option tables. */
#include <stdio.h>
#include <string.h>

#include "applet.h"
#include "doc.h"
#include "man.h"
#include "opt.h"
#include "out.h"
#include "roff.h"

/* The date of the page, changed when its text is. */
#define MAN_DATE "2026-11-21"


/* A metavariable: APPLET in italics, the [ ] and ... around it roman. */
static void
metavar(const char *mv)
{
	size_t skip = strspn(mv, "[");
	size_t len = strcspn(mv + skip, "].");
	char word[64];

	roff_raw(skip ? "[" : "");
	snprintf(word, sizeof(word), "%.*s", (int)len, mv + skip);
	roff_font("\\fI", word);
	roff_text(mv + skip + len, 1);
}

/* The tag of an option: "-c, --count N", "--mode {sixteen,upper}". */
static void
option_tag(const struct opt *o)
{
	const char *w;
	char word[64];
	int len;

	if (o->sname) {
		snprintf(word, sizeof(word), "-%c", o->sname);
		roff_font("\\fB", word);
		roff_raw(o->lname[0] ? ", " : "");
	}
	if (o->lname[0]) {
		snprintf(word, sizeof(word), "--%s", o->lname);
		roff_font("\\fB", word);
	}
	if (!opt_takes_value(o))
		return;
	roff_raw(" ");
	if (o->kind != OPT_CHOICE) {
		metavar(o->metavar);
		return;
	}
	for (int k = 0; (w = opt_choice(o, k, &len)) != NULL; k++) {
		roff_raw(k ? "," : "{");
		snprintf(word, sizeof(word), "%.*s", len, w);
		roff_font("\\fB", word);
	}
	roff_raw("}");
}

/* What the kind of a value accepts, where the table says more than help. */
static void
option_range(const struct opt *o)
{
	char buf[128];

	switch (o->kind) {
	case OPT_INT:
		if (o->max >= 1e12)
			snprintf(buf, sizeof(buf),
			    ": an integer, at least %.0f.", o->min);
		else
			snprintf(buf, sizeof(buf),
			    ": an integer from %.0f to %.0f.", o->min,
			    o->max);
		break;
	case OPT_SECS:
		snprintf(buf, sizeof(buf), ": seconds from %g to %g, "
		    "fractions allowed.", o->min, o->max);
		break;
	case OPT_PORT:
		snprintf(buf, sizeof(buf), ": from 0 to 65535.");
		break;
	case OPT_RATE:
		snprintf(buf, sizeof(buf), ": from 0 to 1, fractions allowed.");
		break;
	case OPT_BYTE:
		snprintf(buf, sizeof(buf), ": from 0 to 255, in decimal or in "
		    "hex after 0x.");
		break;
	case OPT_IFACE:
		snprintf(buf, sizeof(buf), ": the name of one of this "
		    "machine's interfaces.");
		break;
	case OPT_LIST:
		snprintf(buf, sizeof(buf), ": may be given up to %d times.",
		    OPT_LIST_MAX);
		break;
	default:
		return;
	}
	if (roff_col())
		roff_raw("\n");
	metavar(o->metavar);
	roff_text(buf, 0);
	roff_raw("\n");
}

static void
options(const struct opt *opts)
{
	for (const struct opt *o = opts; o->lname; o++) {
		roff_req("TP");
		option_tag(o);
		roff_raw("\n");
		roff_sentence(o->help);
		option_range(o);
	}
}

/* "netdemo udp-server [options] [INTERFACE]" and its other spellings. */
static void
applet_synopsis(const struct applet *ap)
{
	char two[64];

	snprintf(two, sizeof(two), "netdemo %s", ap->name);
	for (int form = 0; form < 3; form++) {
		if (form == 1) {
			if (!strchr(ap->name, '-'))
				continue;
			two[strcspn(two, "-")] = ' ';
		}
		if (roff_col())
			roff_raw("\n");
		if (form)
			roff_req("br");
		roff_font("\\fB", form == 2 ? ap->name : two);
		roff_raw(" [");
		roff_font("\\fI", "options");
		roff_raw("]");
		if (ap->operands[0]) {
			roff_raw(" ");
			roff_text(ap->operands, 1);
		}
	}
	roff_raw("\n");
}

static void
section_applets(void)
{
	roff_req("SH APPLETS");
	roff_line("Each applet takes the options of its table below and the "
	    "options every applet takes (see OPTIONS).");
	for (int i = 0; applets[i]; i++) {
		const struct applet *ap = applets[i];

		roff_raw(".SS ");
		roff_text(ap->name, 1);
		roff_raw("\n");
		applet_synopsis(ap);
		roff_req("PP");
		roff_sentence(ap->summary);
		options(ap->opts);
	}
}

/* "server: netdemo udp-server --drop 0.5": a role and its preset. */
static void
alias_role(const char *role, const struct applet *ap,
    const char *const *preset)
{
	char runs[256];

	doc_preset(ap, preset, runs, sizeof(runs));
	roff_req("TP");
	roff_font("\\fB", role);
	roff_raw("\n");
	roff_font("\\fB", runs);
	roff_raw("\n");
}

static void
section_aliases(void)
{
	roff_req("SH BOOK PROGRAMS");
	roff_line("The programs of the book, by their names in the book.  Each "
	    "runs an applet with a preset of its native options, given "
	    "before the user's, so an option on the command line wins; "
	    "every native option of that applet works too.  The book's "
	    "grammar comes first: a role, then the book's operands.");
	for (const struct alias *al = aliases; al->name; al++) {
		roff_raw(".SS ");
		roff_text(al->name, 1);
		roff_raw("\n");
		roff_font("\\fB", al->name);
		roff_raw(" ");
		roff_text(al->grammar, 1);
		roff_raw("\n");
		roff_req("br");
		roff_font("\\fB", "netdemo");
		roff_raw(" ");
		roff_font("\\fB", al->name);
		roff_raw(" ");
		roff_text(al->grammar, 1);
		roff_raw("\n");
		roff_req("PP");
		roff_sentence(al->summary);
		if (al->client) {
			alias_role("server", al->server, al->server_preset);
			alias_role("client", al->client, al->client_preset);
		} else {
			char runs[256];

			doc_preset(al->server, al->server_preset, runs,
			    sizeof(runs));
			roff_req("PP");
			roff_raw("Runs ");
			roff_font("\\fB", runs);
			roff_raw(".\n");
		}
	}
}

static void
section_json(void)
{
	const char *last = "";

	roff_req("SH JSON");
	roff_line("With --json an applet prints one JSON object a line, one "
	    "per "
	    "event, instead of the book's lines: the key event names the "
	    "event, and the keys listed with it below follow.  An address "
	    "is an object with keys host (a string) and port (a number).  "
	    "Data received, under the key data, is a string followed by "
	    "\"base64\": false when it is printable ASCII, else its base64 "
	    "followed by \"base64\": true.  Events marked JSON only have no "
	    "line in the book's output.");
	for (const struct man_event *e = man_events; e->event; e++) {
		const char *who = e->applet ? e->applet : "every applet";

		if (strcmp(who, last) != 0) {
			roff_raw(".SS ");
			roff_text(who, 1);
			roff_raw("\n");
			last = who;
		}
		roff_req("TP");
		roff_font("\\fB", e->event);
		for (const char *k = e->keys; *k;) {
			char key[32];
			size_t len = strcspn(k, " ");

			snprintf(key, sizeof(key), "%.*s", (int)len, k);
			roff_raw(k == e->keys ? " " : ", ");
			roff_font("\\fI", key);
			k += len + strspn(k + len, " ");
		}
		roff_raw("\n");
		roff_sentence(e->meaning);
	}
}

static void
section_examples(void)
{
	int open = 0;

	roff_req("SH EXAMPLES");
	for (const char *const *x = man_examples; *x; x++) {
		if ((*x)[0] == '#') {
			if (open)
				roff_req("EE");
			open = 0;
			if (x != man_examples)
				roff_req("PP");
			roff_line(*x + 1);
			continue;
		}
		if (!open) {
			roff_req("PP");
			roff_req("EX");
			open = 1;
		}
		if ((*x)[0] == '$') {
			roff_text("$ ", 1);
			roff_raw("\\fB");
			roff_text(*x + 2, 1);
			roff_raw("\\fR\n");
		} else {
			roff_text(*x, 1);
			roff_raw("\n");
		}
	}
	if (open)
		roff_req("EE");
}

void
man_page(const char *version)
{
	const char *meaning;
	char num[16];
	int status;

	roff_raw(".\\\" netdemo(1): written by mkman (make man) from the "
	    "applet and option tables.\n.TH NETDEMO 1 " MAN_DATE " \"netdemo ");
	roff_raw(version);
	roff_raw("\" \"User Commands\"\n");
	roff_req("SH NAME");
	roff_text("netdemo", 1);
	for (int i = 0; applets[i]; i++) {
		roff_raw(roff_col() > 60 ? ",\n" : ", ");
		roff_text(applets[i]->name, 1);
	}
	for (const struct alias *al = aliases; al->name; al++) {
		roff_raw(roff_col() > 60 ? ",\n" : ", ");
		roff_text(al->name, 1);
	}
	roff_raw("\n\\- the UDP and TCP programs of a Python book, and a "
	    "network "
	    "check\n");

	roff_req("SH SYNOPSIS");
	roff_font("\\fB", "netdemo");
	roff_raw(" \\fIapplet\\fR [\\fIoptions\\fR] [\\fIoperands\\fR]\n");
	roff_req("br");
	roff_font("\\fB", "netdemo");
	roff_raw(" \\fIfirst\\fR \\fIsecond\\fR [\\fIoptions\\fR] "
	    "[\\fIoperands\\fR]\n");
	roff_req("br");
	roff_raw("\\fIapplet\\fR [\\fIoptions\\fR] [\\fIoperands\\fR]\n");
	roff_req("br");
	roff_font("\\fB", "netdemo");
	roff_raw(" \\fIoption\\fR\n");

	roff_req("SH DESCRIPTION");
	roff_line("netdemo carries the UDP and TCP programs of chapters 2 "
	    "and 3 "
	    "of Foundations of Python Network Programming (third edition) "
	    "in one small program that needs nothing but the C library.  "
	    "It is also a network check for machines where Python is not "
	    "an option: does UDP or TCP get through to that port, and what "
	    "is the path MTU?");
	roff_req("PP");
	roff_line("The applet to run is chosen, in this order, by the name the "
	    "program was run under (a link named after an applet or a book "
	    "program, with or without a trailing .py), by the first "
	    "argument (netdemo udp-server), or by the first two arguments "
	    "joined by a hyphen (netdemo udp server).  An unknown name "
	    "exits with status 127.  The links are made by netdemo "
	    "--install or make install.");
	roff_req("PP");
	roff_line("Under the book's names the output is the book's, line for "
	    "line, in Python's formatting: socket addresses as tuples, text "
	    "as the repr of a str, data as the repr of bytes.  The applets "
	    "print the same lines and add options.  With --json every "
	    "applet prints one JSON object per event instead (see JSON).");
	roff_req("PP");
	roff_line("The default port is 1060.  A server listens on 127.0.0.1 "
	    "unless given an interface; the empty host \"\" means every "
	    "interface, as in the book.  No datagram or connection goes to "
	    "an address the user did not give.");
	roff_req("PP");
	roff_line("Errors name the program as invoked, what it was doing, the "
	    "address, and the error in Python's words, then a hint where "
	    "one helps.  The words come from netdemo's own table, so every "
	    "build says the same.");
	roff_req("PP");
	roff_line("Bash completion (completions/netdemo.bash) asks netdemo "
	    "--complete for its words, so it knows every applet, book "
	    "program, role and option below.");

	roff_req("SH OPTIONS");
	roff_line("Options and operands mix in any order; -- ends the "
	    "options.  "
	    "A value may follow as the next argument or be attached: -p9, "
	    "--port=9.  Short flags may be bundled (-q4); a long option may "
	    "be cut to a unique prefix.  A bad option, value or operand "
	    "gets a usage line and one error line, with status 2, before "
	    "any socket is opened.");
	roff_req("SS Options of netdemo itself");
	roff_line("Given as the first argument:");
	options(doc_top_opts);
	roff_req("SS Options every applet takes");
	options(opt_common);

	section_applets();
	section_aliases();

	roff_req("SH EXIT STATUS");
	for (int i = 0; (meaning = doc_exit(i, &status)) != NULL; i++) {
		snprintf(num, sizeof(num), "%d", status);
		roff_req("TP");
		roff_font("\\fB", num);
		roff_raw("\n");
		roff_sentence(meaning);
	}

	section_json();
	section_examples();

	roff_req("SH SEE ALSO");
	roff_raw(".BR nc (1),\n.BR socat (1),\n.BR tracepath (8),\n"
	    ".BR ss (8)\n");
}
