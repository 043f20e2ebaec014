/* libFuzzer target: dispatch (SPEC §2) on an argv from the input. */
#include <stddef.h>
#include <stdint.h>

#include "../../core/dispatch.h"
#include "fuzz.h"

/*
 * The input is a whole command line, argv[0] included (a link name such as
 * tcp_sixteen.py or /bin/udp_local), pieces split at NUL.  What dispatch
 * picks is then parsed as the applet would, with the alias's preset in
 * front; nothing runs.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[FUZZ_MAXARGS + 1];
	int argc = fuzz_argv(data, size, argv);
	struct dispatch d;
	enum dispatch_kind k = dispatch(argc, argv, &d);

	FUZZ_CHECK(memchr(d.prog, '\0', sizeof(d.prog)) != NULL);
	switch (k) {
	case DISPATCH_RUN:
		FUZZ_CHECK(d.applet != NULL);
		FUZZ_CHECK(d.argc >= 1 && d.argv[d.argc] == NULL);
		if (d.alias)
			FUZZ_CHECK(d.applet == d.alias->server ||
			    d.applet == d.alias->client);
		fuzz_opt_check(d.applet, d.alias, d.argc, d.argv);
		dispatch_free(&d);
		break;
	case DISPATCH_USAGE:
		FUZZ_CHECK(d.msg[0] != '\0');
		FUZZ_CHECK(memchr(d.msg, '\0', sizeof(d.msg)) != NULL);
		break;
	case DISPATCH_ALIAS_HELP:
		FUZZ_CHECK(d.alias != NULL);
		break;
	case DISPATCH_TOP:
		FUZZ_CHECK(argc >= 2 && argv[1][0] == '-');
		/* netdemo --help APPLET asks as APPLET --help would. */
		if (argc >= 3) {
			char help[] = "--help", *hargv[] = { argv[0], argv[2],
			    help, NULL };

			if (dispatch(3, hargv, &d) == DISPATCH_RUN)
				dispatch_free(&d);
		}
		break;
	case DISPATCH_UNKNOWN:
		FUZZ_CHECK(d.word != NULL);
		break;
	case DISPATCH_NOMEM:
		break;
	}
	fuzz_argv_free(argc, argv);
	return 0;
}
