/* OF_STR with an integer: must not build. */
#include "../../core/out.h"

void
wrong(long n)
{
	OUT("bad", "{}", OF_STR("s", n));
}
