/* main(): choose the applet by name, run it; netdemo's own options. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "applet.h"
#include "cli.h"
#include "complete.h"
#include "dispatch.h"
#include "doc.h"
#include "err.h"
#include "opt.h"
#include "out.h"
#include "sig.h"

/*
 * Act on what dispatch() decided.  Returns only for DISPATCH_TOP and
 * DISPATCH_UNKNOWN, which the caller handles.
 */
static enum dispatch_kind
act(enum dispatch_kind k, struct dispatch *d)
{
	int rc;

	/* Messages name the program as invoked, its help's failures too. */
	err_prog = d->prog;
	switch (k) {
	case DISPATCH_RUN:
		rc = applet_run(d->applet, d->alias, d->prog, d->argc,
		    d->argv);
		dispatch_free(d);
		err_exit(rc);
	case DISPATCH_ALIAS_HELP:
		doc_alias_help(d->alias, d->prog);
		err_exit(EXIT_OK);
	case DISPATCH_USAGE:
		cli_usage_error(NULL, d->alias, d->prog, "%s", d->msg);
	case DISPATCH_NOMEM:
		die(EXIT_SYSTEM, ENOMEM, "start");
	case DISPATCH_TOP:
	case DISPATCH_UNKNOWN:
		break;
	}
	return k;
}

static void
list_names(void)
{
	const char *name;

	for (int i = 0; (name = dispatch_name(i)) != NULL; i++) {
		out_text(name);
		out_text("\n");
	}
}

static void
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
	if (symlink(self, path) < 0) {
		if (errno == EACCES || errno == EROFS || errno == EPERM)
			err_set_hint("the directory %s is not writable by this "
			    "user; choose one that is, or run as its owner",
			    dir);
		die(EXIT_SYSTEM, errno, "install %s", path);
	}
}

static void
install(const char *dir)
{
	char self[PATH_MAX];
	const char *name;
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	struct stat st;

	if (n < 0)
		die(EXIT_SYSTEM, errno, "find our own path");
	self[n] = '\0';
	if (stat(dir, &st) < 0)
		die(EXIT_SYSTEM, errno, "install into '%s'", dir);
	if (!S_ISDIR(st.st_mode))
		die(EXIT_SYSTEM, ENOTDIR, "install into '%s'", dir);
	for (int i = 0; (name = dispatch_name(i)) != NULL; i++)
		link_one(dir, self, name);
}

static void
unknown(const char *word)
{
	err_prog = "netdemo";
	warn(0, "unknown applet '%.64s' (see 'netdemo --list')", word);
	err_exit(EXIT_UNKNOWN);
}

static int
top_level(int argc, char **argv)
{
	const char *a = argv[1];
	struct dispatch d;

	if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
		char *hargv[] = { argv[0], argv[2], (char *)"--help", NULL };

		if (argc < 3) {
			doc_main_help();
			err_exit(EXIT_OK);
		}
		/* As if run as netdemo APPLET --help. */
		act(dispatch(3, hargv, &d), &d);
		unknown(argv[2]);
	}
	if (strcmp(a, "--version") == 0) {
		out_text("netdemo " NETDEMO_VERSION "\n");
		err_exit(EXIT_OK);
	}
	if (strcmp(a, "--list") == 0) {
		list_names();
		err_exit(EXIT_OK);
	}
	/* What completions/netdemo.bash asks: see core/complete.h. */
	if (strcmp(a, "--complete") == 0) {
		complete_words(argc - 2, argv + 2);
		err_exit(EXIT_OK);
	}
	if (strcmp(a, "--install") == 0) {
		if (argc != 3)
			cli_usage_error(NULL, NULL, "netdemo",
			    "--install takes one directory");
		install(argv[2]);
		err_exit(EXIT_OK);
	}
	cli_usage_error(NULL, NULL, "netdemo", "unrecognized arguments");
}

int
main(int argc, char **argv)
{
	struct dispatch d;

	/*
	 * Output is the book's (out.c starts so) until cli_parse() reads an
	 * applet's --json and -q; err_prog starts as "netdemo".
	 */
	sig_init();
	if (act(dispatch(argc, argv, &d), &d) == DISPATCH_TOP)
		return top_level(argc, argv);
	unknown(d.word);
	return EXIT_UNKNOWN;
}
