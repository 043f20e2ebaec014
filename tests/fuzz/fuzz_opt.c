/* libFuzzer target: every applet's option table, on an argv from the input. */
#include <stddef.h>
#include <stdint.h>

#include "fuzz.h"

/*
 * The input is an argv, pieces split at NUL.  Each applet parses it on its
 * own, then as each book program that runs it (whose operand grammar
 * differs), so one input exercises every table.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[FUZZ_MAXARGS + 1];
	int argc = fuzz_argv(data, size, argv);

	for (int i = 0; applets[i]; i++)
		fuzz_opt_check(applets[i], NULL, argc, argv);
	for (const struct alias *al = aliases; al->name; al++) {
		fuzz_opt_check(al->server, al, argc, argv);
		if (al->client)
			fuzz_opt_check(al->client, al, argc, argv);
	}
	fuzz_argv_free(argc, argv);
	return 0;
}
