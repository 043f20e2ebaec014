/* Every field constructor with a value of its own type: this must build. */
#include <netinet/in.h>
#include <stddef.h>
#include <sys/socket.h>

#include "../../core/out.h"

void
fields_good(const struct sockaddr_storage *ss, const struct sockaddr_in *in,
    const unsigned char *data, size_t n, const char *s, long long i,
    double d)
{
	OUT("good", "{} {} {} {} {} {} {} {} {}", OF_ADDR("ss", ss),
	    OF_ADDR("in", in), OF_TEXT("text", data, n),
	    OF_BYTES("bytes", data, n), OF_STR("str", s), OF_REPR("repr", s),
	    OF_INT("int", i), OF_INT("size", n), OF_REAL("real", d),
	    OF_MEASURE("measure", d));
	OUT("empty", NULL);
}
