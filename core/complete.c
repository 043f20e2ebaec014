/* Shell completion words, from the applet and option tables. */
#include <ifaddrs.h>
#include <stdio.h>
#include <string.h>

#include "applet.h"
#include "complete.h"
#include "dispatch.h"
#include "doc.h"
#include "opt.h"
#include "out.h"

/* Where the words typed so far leave us inside an applet's command line. */
struct cstate {
	const struct applet *ap;	/* NULL: an alias still needs its role */
	const struct alias *al;
	const struct opt *tables[4];	/* NULL-ended, for opt_find */
	const struct opt *pending;	/* an option whose value comes next */
	int		 dashdash;	/* "--" seen: only operands follow */
	int		 operands;	/* operands typed, after the role */
};

static void
say(const char *prefix, const char *word)
{
	if (prefix)
		out_text(prefix);
	out_text(word);
	out_text("\n");
}

/*
 * Whether an earlier table already offered this row's short (which = 0) or
 * long name: tcp_sixteen's two roles both have --mode.
 */
static int
shadowed(const struct opt *const *tables, int t, const struct opt *o,
    int which)
{
	for (int k = 0; k < t; k++)
		for (const struct opt *p = tables[k]; p->lname; p++) {
			if (which == 0 && p->sname == o->sname)
				return 1;
			if (which == 1 && strcmp(p->lname, o->lname) == 0)
				return 1;
		}
	return 0;
}

static void
options(const struct opt *const *tables)
{
	for (int t = 0; tables[t]; t++)
		for (const struct opt *o = tables[t]; o->lname; o++) {
			char letter[2] = { o->sname, '\0' };

			if (o->sname && !shadowed(tables, t, o, 0))
				say("-", letter);
			if (o->lname[0] && !shadowed(tables, t, o, 1))
				say("--", o->lname);
		}
}

/*
 * This machine's interfaces, as -I/--interface takes them: each name once,
 * where the list first has it (an entry per interface, then one per
 * address).
 */
static void
interfaces(const char *prefix)
{
	struct ifaddrs *all, *j;

	if (getifaddrs(&all) < 0)
		return;
	for (struct ifaddrs *i = all; i; i = i->ifa_next) {
		for (j = all; j != i; j = j->ifa_next)
			if (strcmp(j->ifa_name, i->ifa_name) == 0)
				break;
		if (j == i)
			say(prefix, i->ifa_name);
	}
	freeifaddrs(all);
}

/* The values an option takes, where they are a known set. */
static void
values(const struct opt *o, const char *prefix)
{
	const char *w;
	char word[64];
	int len;

	for (int k = 0; o->kind == OPT_CHOICE &&
	    (w = opt_choice(o, k, &len)) != NULL; k++) {
		snprintf(word, sizeof(word), "%.*s", len, w);
		say(prefix, word);
	}
	if (o->kind == OPT_HOST)
		say(NULL, "@host");
	if (o->kind == OPT_IFACE)
		interfaces(prefix);
}

static void
names(void)
{
	const char *name;

	for (int i = 0; (name = dispatch_name(i)) != NULL; i++)
		say(NULL, name);
}

/* "udp" for "netdemo udp server": the first halves of applet names, once. */
static void
first_halves(void)
{
	for (int i = 0; applets[i]; i++) {
		size_t len = strcspn(applets[i]->name, "-");
		int again = 0;

		for (int k = 0; k < i; k++)
			if (strncmp(applets[k]->name, applets[i]->name,
			    len + 1) == 0)
				again = 1;
		if (!again && applets[i]->name[len]) {
			char half[32];

			snprintf(half, sizeof(half), "%.*s", (int)len,
			    applets[i]->name);
			say(NULL, half);
		}
	}
}

/* "server", "client" after "netdemo udp": the second halves. */
static void
second_halves(const char *first)
{
	size_t len = strlen(first);

	for (int i = 0; applets[i]; i++)
		if (strncmp(applets[i]->name, first, len) == 0 &&
		    applets[i]->name[len] == '-')
			say(NULL, applets[i]->name + len + 1);
}

static void
set_applet(struct cstate *st, const struct applet *ap)
{
	st->ap = ap;
	st->tables[0] = ap->opts;
	st->tables[1] = opt_common;
	st->tables[2] = NULL;
}

/* Inside an applet or alias: its words typed so far, then CUR. */
static void
in_applet(const struct applet *ap, const struct alias *al, char **words,
    int nw, const char *cur)
{
	struct cstate st = { .al = al };
	const char *eq;
	char name[32];

	if (al && al->client) {
		st.tables[0] = al->server->opts;
		st.tables[1] = al->client->opts;
		st.tables[2] = opt_common;
	} else
		set_applet(&st, al ? al->server : ap);
	for (int i = 0; i < nw; i++) {
		const char *w = words[i];

		if (st.pending)
			st.pending = NULL;
		else if (st.dashdash || w[0] != '-' || w[1] == '\0') {
			/* The alias's first operand is its role. */
			if (!st.ap)
				set_applet(&st, strcmp(w, "client") == 0 ?
				    al->client : al->server);
			else
				st.operands++;
		} else if (strcmp(w, "--") == 0)
			st.dashdash = 1;
		else
			st.pending = opt_value_next(st.tables, w);
	}
	if (st.pending) {
		values(st.pending, NULL);
		return;
	}
	if (!st.dashdash && cur[0] == '-') {
		/* --mode=up: the value, with what precedes it. */
		if (cur[1] == '-' && (eq = strchr(cur, '=')) != NULL) {
			const struct opt *o = opt_find(st.tables, cur);
			char prefix[64];

			snprintf(prefix, sizeof(prefix), "%.*s",
			    (int)(eq - cur + 1), cur);
			if (o && opt_takes_value(o))
				values(o, prefix);
			return;
		}
		options(st.tables);
		return;
	}
	if (!st.ap) {
		out_text("client\nserver\n");
		return;
	}
	if (doc_operand(al ? al->grammar : st.ap->operands, st.operands,
	    name, sizeof(name)) >= 0) {
		/* HOST, host, [INTERFACE]: fold the case of the letters. */
		for (char *c = name; *c; c++)
			*c |= 0x20;
		if (strcmp(name, "host") == 0 || strcmp(name, "interface") == 0)
			say(NULL, "@host");
		/* A server's INTERFACE may name an interface too. */
		if (strcmp(name, "interface") == 0)
			interfaces(NULL);
		return;
	}
	/* No operand can go here: say what can. */
	if (!st.dashdash && cur[0] == '\0')
		options(st.tables);
}

/* netdemo's own options, as opt_find() and options() take tables. */
static const struct opt *const top[] = { doc_top_opts, NULL };

/* After one of netdemo's own options: netdemo --help <TAB>. */
static void
top_value(char **words, int n)
{
	const struct opt *o = opt_find(top, words[1]);

	if (n != 3 || !o)
		return;
	if (strcmp(o->lname, "help") == 0)
		names();
	else if (strcmp(o->lname, "install") == 0)
		say(NULL, "@dir");
}

void
complete_words(int n, char **words)
{
	const struct applet *ap;
	const struct alias *al;
	char name[64];
	int k;

	if (n < 2)
		return;
	/* The words before CUR name the applet as they name it to dispatch. */
	k = dispatch_find(n - 1, words, &ap, &al, name, sizeof(name));
	if (k > 0)
		in_applet(ap, al, words + k, n - 1 - k, words[n - 1]);
	else if (n == 2 && words[1][0] == '-')
		options(top);
	else if (n == 2) {
		names();
		first_halves();
	} else if (words[1][0] == '-')
		top_value(words, n);
	else if (n == 3)
		second_halves(words[1]);
}
