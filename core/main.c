/* main(): choose the applet by name, run it; netdemo's own options. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "applet.h"
#include "complete.h"
#include "doc.h"
#include "err.h"
#include "opt.h"
#include "out.h"

/* Compare a name, ignoring a trailing ".py" on the word given. */
static int
same_name(const char *word, const char *name)
{
	size_t wl = strlen(word), nl = strlen(name);

	if (wl == nl + 3 && strcmp(word + nl, ".py") == 0)
		wl = nl;
	return wl == nl && strncmp(word, name, nl) == 0;
}

static const struct applet *
find_applet(const char *word)
{
	for (int i = 0; applets[i]; i++)
		if (same_name(word, applets[i]->name))
			return applets[i];
	return NULL;
}

static const struct alias *
find_alias(const char *word)
{
	for (const struct alias *al = aliases; al->name; al++)
		if (same_name(word, al->name))
			return al;
	return NULL;
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
		const struct opt *o;

		if (strcmp(a, "--") == 0)
			return i + 1 < argc ? i + 1 : -1;
		if (a[0] != '-' || a[1] == '\0')
			return i;
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)
			*help = 1;
		o = opt_find(tables, a);
		/* -pN and --port=N carry their value; -p N does not. */
		if (o && opt_takes_value(o) && !strchr(a, '=') &&
		    (a[1] == '-' || a[2] == '\0'))
			i++;
	}
	return -1;
}

static int
run_alias(const struct alias *al, const char *prog, int argc, char **argv)
{
	const struct applet *ap = al->server;
	const char *const *preset = al->server_preset;
	char **nargv;
	int role = -1, help, n = 0, npreset = 0;

	if (al->client) {
		role = find_role(al, argc, argv, &help);
		if (role < 0 && help) {
			doc_alias_help(al, prog);
			out_exit(EXIT_OK);
		}
		if (role < 0)
			opt_usage_error(NULL, al, prog, "the following "
			    "arguments are required: role%s%s",
			    al->min_operands ? ", " : "", al->operand_names);
		if (strcmp(argv[role], "client") == 0) {
			ap = al->client;
			preset = al->client_preset;
		} else if (strcmp(argv[role], "server") != 0)
			opt_usage_error(NULL, al, prog, "argument role: "
			    "invalid choice: '%.64s' (choose from 'client', "
			    "'server')", argv[role]);
	}
	while (preset && preset[npreset])
		npreset++;
	nargv = calloc((size_t)(argc + npreset + 1), sizeof(*nargv));
	if (!nargv)
		die(EXIT_SYSTEM, ENOMEM, "start");
	nargv[n++] = argv[0];
	for (int i = 0; i < npreset; i++)
		nargv[n++] = (char *)preset[i];
	for (int i = 1; i < argc; i++)
		if (i != role)
			nargv[n++] = argv[i];
	nargv[n] = NULL;
	return ap->main(ap, al, prog, n, nargv);
}

/* Run the applet or alias a word names; -1 when it names none. */
static int
run_named(const char *word, const char *prog, int argc, char **argv)
{
	const struct applet *ap = find_applet(word);
	const struct alias *al;

	if (ap)
		return ap->main(ap, NULL, prog, argc, argv);
	if ((al = find_alias(word)) != NULL)
		return run_alias(al, prog, argc, argv);
	return -1;
}

static void
list_names(void)
{
	for (int i = 0; applets[i]; i++) {
		out_text(applets[i]->name);
		out_text("\n");
	}
	for (const struct alias *al = aliases; al->name; al++) {
		out_text(al->name);
		out_text("\n");
	}
}

static int
link_one(const char *dir, const char *self, const char *name)
{
	char path[PATH_MAX];
	struct stat st;

	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	    (int)sizeof(path))
		die(EXIT_SYSTEM, ENAMETOOLONG, "install into '%s'", dir);
	/* Replace our own old links; never a file someone else put there. */
	if (lstat(path, &st) == 0) {
		if (!S_ISLNK(st.st_mode))
			die(EXIT_SYSTEM, EEXIST, "install %s", path);
		if (unlink(path) < 0)
			die(EXIT_SYSTEM, errno, "replace %s", path);
	}
	if (symlink(self, path) < 0)
		die(EXIT_SYSTEM, errno, "install %s", path);
	return 0;
}

static void
install(const char *dir)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	struct stat st;

	if (n < 0)
		die(EXIT_SYSTEM, errno, "find our own path");
	self[n] = '\0';
	if (stat(dir, &st) < 0)
		die(EXIT_SYSTEM, errno, "install into '%s'", dir);
	if (!S_ISDIR(st.st_mode))
		die(EXIT_SYSTEM, ENOTDIR, "install into '%s'", dir);
	for (int i = 0; applets[i]; i++)
		link_one(dir, self, applets[i]->name);
	for (const struct alias *al = aliases; al->name; al++)
		link_one(dir, self, al->name);
}

static void
unknown(const char *word)
{
	char line[256];

	snprintf(line, sizeof(line),
	    "netdemo: unknown applet '%.64s' (see 'netdemo --list')\n", word);
	if (write(STDERR_FILENO, line, strlen(line)) < 0)
		exit(EXIT_UNKNOWN);
	exit(EXIT_UNKNOWN);
}

static int
top_level(int argc, char **argv)
{
	const char *a = argv[1];
	static char prog[128];

	if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
		char *hargv[] = { argv[0], (char *)"--help", NULL };

		if (argc < 3) {
			doc_main_help();
			out_exit(EXIT_OK);
		}
		snprintf(prog, sizeof(prog), "netdemo %s", argv[2]);
		err_prog = prog;
		if (run_named(argv[2], prog, 2, hargv) < 0)
			unknown(argv[2]);
		out_exit(EXIT_OK);
	}
	if (strcmp(a, "--version") == 0) {
		out_text("netdemo " NETDEMO_VERSION "\n");
		out_exit(EXIT_OK);
	}
	if (strcmp(a, "--list") == 0) {
		list_names();
		out_exit(EXIT_OK);
	}
	/* What completions/netdemo.bash asks: see core/complete.h. */
	if (strcmp(a, "--complete") == 0) {
		complete_words(argc - 2, argv + 2);
		out_exit(EXIT_OK);
	}
	if (strcmp(a, "--install") == 0) {
		if (argc != 3) {
			doc_usage_error(NULL, NULL, "netdemo",
			    "--install takes one directory");
			exit(EXIT_USAGE);
		}
		install(argv[2]);
		out_exit(EXIT_OK);
	}
	doc_usage_error(NULL, NULL, "netdemo", "unrecognized arguments");
	exit(EXIT_USAGE);
}

int
main(int argc, char **argv)
{
	const char *base = argc > 0 && argv[0] ? strrchr(argv[0], '/') : NULL;
	char prog[128], joined[64];
	int rc;

	err_signals();
	out_init(0, 0);
	base = base ? base + 1 : (argc > 0 && argv[0] ? argv[0] : "netdemo");
	/* 1. A link named after an applet or a book program. */
	snprintf(prog, sizeof(prog), "%s", base);
	if (strlen(prog) > 3 && strcmp(prog + strlen(prog) - 3, ".py") == 0)
		prog[strlen(prog) - 3] = '\0';
	err_prog = prog;
	if ((rc = run_named(base, prog, argc, argv)) >= 0)
		out_exit(rc);
	err_prog = "netdemo";
	if (argc < 2) {
		doc_usage_error(NULL, NULL, "netdemo",
		    "the following arguments are required: APPLET");
		exit(EXIT_USAGE);
	}
	if (argv[1][0] == '-')
		return top_level(argc, argv);
	/* 2. The first argument; 3. the first two joined by '-'. */
	snprintf(prog, sizeof(prog), "netdemo %s", argv[1]);
	err_prog = prog;
	if ((rc = run_named(argv[1], prog, argc - 1, argv + 1)) >= 0)
		out_exit(rc);
	if (argc >= 3) {
		snprintf(joined, sizeof(joined), "%s-%s", argv[1], argv[2]);
		snprintf(prog, sizeof(prog), "netdemo %s", joined);
		if (find_applet(joined))
			out_exit(run_named(joined, prog, argc - 2, argv + 2));
	}
	unknown(argv[1]);
	return EXIT_UNKNOWN;
}
