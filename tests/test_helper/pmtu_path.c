/*
 * pmtu_path: core/pmtu.c's search on a path simulated in memory, for the
 * cases no Linux router in a namespace will make.
 *
 *     pmtu_path search PATH_MTU SAID_MTU MIN MAX BUDGET
 *	A router before the far host drops what exceeds PATH_MTU and says
 *	so with "fragmentation needed, next hop MTU SAID_MTU" (0: an old
 *	router that names none); the far host answers every size that
 *	fits.  Prints "end E lo L probes N".
 *     pmtu_path tag SIZE CUT
 *	A probe of SIZE bytes whose payload an ICMP quote cut after CUT
 *	bytes: prints the size its tag names (0: none).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/pmtu.h"

static int
search(int path, int said, int min, int max, int budget)
{
	struct pmtu p;
	int n = 0;

	pmtu_init(&p, min, max, 3);
	while (p.end == PMTU_SEARCHING && p.cur && n < budget) {
		int size = p.cur;

		pmtu_sent(&p);
		n++;
		if (size > path)
			pmtu_told(&p, size, said);
		else
			pmtu_arrived(&p, size, 1);
	}
	printf("end %d lo %d probes %d\n", (int)p.end, p.lo, n);
	return 0;
}

int
main(int argc, char **argv)
{
	static char buf[65536];

	if (argc == 7 && strcmp(argv[1], "search") == 0)
		return search(atoi(argv[2]), atoi(argv[3]), atoi(argv[4]),
		    atoi(argv[5]), atoi(argv[6]));
	if (argc == 4 && strcmp(argv[1], "tag") == 0) {
		pmtu_fill(buf, atoi(argv[2]), 28);
		printf("%d\n", pmtu_tagged(buf, (size_t)atoi(argv[3])));
		return 0;
	}
	fprintf(stderr, "usage: pmtu_path search PATH SAID MIN MAX BUDGET "
	    "| tag SIZE CUT\n");
	return 2;
}
