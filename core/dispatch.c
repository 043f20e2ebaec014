/* Dispatch: which applet or book program a command line names, and its argv. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "applet.h"
#include "dispatch.h"
#include "doc.h"
#include "opt.h"

/* Compare a name, ignoring a trailing ".py" on the word given. */
static int
same_name(const char *word, const char *name)
{
	size_t nl = strlen(name);

	return strncmp(word, name, nl) == 0 &&
	    (word[nl] == '\0' || strcmp(word + nl, ".py") == 0);
}

const struct applet *
dispatch_applet(const char *word)
{
	for (int i = 0; applets[i]; i++)
		if (same_name(word, applets[i]->name))
			return applets[i];
	return NULL;
}

const struct alias *
dispatch_alias(const char *word)
{
	for (const struct alias *al = aliases; al->name; al++)
		if (same_name(word, al->name))
			return al;
	return NULL;
}

const char *
dispatch_name(int i)
{
	int n = 0;

	while (applets[n])
		n++;
	return i < n ? applets[i]->name : aliases[i - n].name;
}

/*
 * The role is the alias's first operand, wherever options put it; option
 * values are skipped with the help of every table the alias may run.
 */
static int
find_role(const struct alias *al, int argc, char **argv, int *help)
{
	const struct opt *tables[] = { al->server->opts,
	    al->client ? al->client->opts : opt_common, opt_common, NULL };

	*help = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--") == 0)
			return i + 1 < argc ? i + 1 : -1;
		if (a[0] != '-' || a[1] == '\0')
			return i;
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)
			*help = 1;
		/* -p N and -qp N: N is no role; -pN and --port=N carry theirs. */
		if (opt_value_next(tables, a))
			i++;
	}
	return -1;
}

/* The alias's role picks the applet; its preset goes before the user's. */
static enum dispatch_kind
pick_alias(const struct alias *al, int argc, char **argv, struct dispatch *d)
{
	const struct applet *ap = al->server;
	const char *const *preset = al->server_preset;
	int role = -1, help, n = 0, npreset = 0;

	d->alias = al;
	if (al->client) {
		role = find_role(al, argc, argv, &help);
		if (role < 0 && help)
			return DISPATCH_ALIAS_HELP;
		if (role < 0) {
			const char *more = doc_missing_operands(NULL, al, 0);

			snprintf(d->msg, sizeof(d->msg), "the following "
			    "arguments are required: role%s%s",
			    more[0] ? ", " : "", more);
			return DISPATCH_USAGE;
		}
		if (strcmp(argv[role], "client") == 0) {
			ap = al->client;
			preset = al->client_preset;
		} else if (strcmp(argv[role], "server") != 0) {
			snprintf(d->msg, sizeof(d->msg), "argument role: "
			    "invalid choice: '%.64s' (choose from 'client', "
			    "'server')", argv[role]);
			return DISPATCH_USAGE;
		}
	}
	while (preset[npreset])
		npreset++;
	d->owned = calloc((size_t)argc + (size_t)npreset + 1,
	    sizeof(*d->owned));
	if (!d->owned)
		return DISPATCH_NOMEM;
	d->owned[n++] = argv[0];
	/* The words stay constant; an applet never writes to its argv. */
	for (int i = 0; i < npreset; i++)
		d->owned[n++] = (char *)preset[i];
	for (int i = 1; i < argc; i++)
		if (i != role)
			d->owned[n++] = argv[i];
	/* calloc() left the NULL that ends it. */
	d->applet = ap;
	d->argc = n;
	d->argv = d->owned;
	return DISPATCH_RUN;
}

/* The applet or book program word names, in *ap or *al; 0 when none. */
static int
find(const char *word, const struct applet **ap, const struct alias **al)
{
	*ap = dispatch_applet(word);
	*al = *ap ? NULL : dispatch_alias(word);
	return *ap || *al;
}

/* The run of applet ap, or of alias al with its role, as prog. */
static enum dispatch_kind
start(const struct applet *ap, const struct alias *al, const char *prog,
    int argc, char **argv, struct dispatch *d)
{
	memset(d, 0, sizeof(*d));
	snprintf(d->prog, sizeof(d->prog), "%s", prog);
	if (!ap)
		return pick_alias(al, argc, argv, d);
	d->applet = ap;
	d->argc = argc;
	d->argv = argv;
	return DISPATCH_RUN;
}

int
dispatch_find(int argc, char **argv, const struct applet **ap,
    const struct alias **al, char *name, size_t cap)
{
	const char *base = argc > 0 && argv[0] ? argv[0] : "netdemo", *slash;

	/* 1. A link named after an applet or a book program. */
	if ((slash = strrchr(base, '/')) != NULL)
		base = slash + 1;
	if (find(base, ap, al)) {
		snprintf(name, cap, "%s", base);
		return 1;
	}
	/* 2. The first argument; 3. the first two joined by '-'. */
	if (argc >= 2 && find(argv[1], ap, al)) {
		snprintf(name, cap, "%s", argv[1]);
		return 2;
	}
	if (argc >= 3 && (size_t)snprintf(name, cap, "%s-%s", argv[1],
	    argv[2]) < cap && (*ap = dispatch_applet(name)) != NULL)
		return 3;
	return 0;
}

enum dispatch_kind
dispatch(int argc, char **argv, struct dispatch *d)
{
	const struct applet *ap;
	const struct alias *al;
	char name[64], prog[sizeof(d->prog)];
	int k = dispatch_find(argc, argv, &ap, &al, name, sizeof(name));
	size_t len;

	if (k == 1) {
		/* A link stands for the program, named without its ".py". */
		len = strlen(name);
		if (len > 3 && strcmp(name + len - 3, ".py") == 0)
			name[len - 3] = '\0';
		return start(ap, al, name, argc, argv, d);
	}
	if (k > 1) {
		snprintf(prog, sizeof(prog), "netdemo %s", name);
		return start(ap, al, prog, argc - (k - 1), argv + (k - 1), d);
	}
	memset(d, 0, sizeof(*d));
	snprintf(d->prog, sizeof(d->prog), "netdemo");
	if (argc < 2) {
		snprintf(d->msg, sizeof(d->msg), "the following arguments are "
		    "required: APPLET");
		return DISPATCH_USAGE;
	}
	d->word = argv[1];
	return argv[1][0] == '-' ? DISPATCH_TOP : DISPATCH_UNKNOWN;
}

void
dispatch_free(struct dispatch *d)
{
	free(d->owned);
	d->owned = NULL;
	d->argv = NULL;
}
