/* OF_REAL with a string: must not build. */
#include "../../core/out.h"

void
wrong(const char *s)
{
	OUT("bad", "{}", OF_REAL("secs", s));
}
