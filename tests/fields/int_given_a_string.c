/* OF_INT with a string: must not build. */
#include "../../core/out.h"

void
wrong(const char *s)
{
	OUT("bad", "{}", OF_INT("n", s));
}
