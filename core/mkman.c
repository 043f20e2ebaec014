/* mkman: the build-time program that writes netdemo(1) from the tables. */
#include "doc.h"
#include "err.h"
#include "man.h"
#include "out.h"

/*
 * mkman links the applets' tables and the help's text as netdemo does, with
 * this main instead of core/main.c, so the page is generated from the very
 * tables netdemo runs on, and the page's text stays out of netdemo.
 */
int
main(int argc, char **argv)
{
	(void)argv;
	err_prog = "mkman";
	if (argc != 1) {
		warn(0, "takes no arguments; writes netdemo(1) on stdout");
		return EXIT_USAGE;
	}
	man_page(NETDEMO_VERSION);
	err_exit(EXIT_OK);
}
