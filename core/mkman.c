/* mkman: the build-time program that writes netdemo(1) from the tables. */
#include "doc.h"
#include "err.h"
#include "man.h"
#include "out.h"

/*
 * mkman links the applets and core as netdemo does, with this main instead
 * of core/main.c, so the page is generated from the very tables netdemo
 * runs on while the page's text costs the installed binary nothing (see
 * the size budget in the Makefile).
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
	out_exit(EXIT_OK);
}
