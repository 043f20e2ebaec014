/* libFuzzer target: the ICMP error records mtu-probe reads (core/icmp). */
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "../../core/icmp.h"
#include "../../core/repr.h"
#include "fuzz.h"

/*
 * The input is the control data of a recvmsg(MSG_ERRQUEUE): any bytes,
 * any length, lying lengths included.  It sits at the very end of an
 * allocation, one byte past an aligned start, so ASan sees any read past
 * it and the parser may assume no alignment.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *buf = malloc(size + 1), *p = buf + 1;
	struct icmp_report r;
	enum icmp_meaning m;
	char addr[REPR_ADDR_MAX];
	int rc;

	FUZZ_CHECK(buf != NULL);
	memcpy(p, data, size);
	rc = icmp_parse(p, size, &r);
	FUZZ_CHECK(rc == 0 || rc == -1);
	if (rc < 0) {
		FUZZ_CHECK(r.origin == ICMP_ORIGIN_NONE);
		FUZZ_CHECK(r.offender.ss_family == 0);
	} else {
		FUZZ_CHECK(r.origin >= ICMP_ORIGIN_LOCAL &&
		    r.origin <= ICMP_ORIGIN_OTHER);
		FUZZ_CHECK(r.err >= 0);
		FUZZ_CHECK(r.type >= 0 && r.type <= 255);
		FUZZ_CHECK(r.code >= 0 && r.code <= 255);
		FUZZ_CHECK(r.offender.ss_family == 0 ||
		    r.offender.ss_family == AF_INET ||
		    r.offender.ss_family == AF_INET6);
	}
	m = icmp_meaning(&r);
	FUZZ_CHECK(m >= ICMP_TOO_BIG && m <= ICMP_IGNORED);
	if (r.offender.ss_family)
		repr_addr(addr, sizeof(addr), (const void *)&r.offender);
	free(buf);
	return 0;
}
