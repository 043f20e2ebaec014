/* OF_ADDR with a string instead of a socket address: must not build. */
#include "../../core/out.h"

void
wrong(const char *host)
{
	OUT("bad", "{}", OF_ADDR("to", host));
}
