/* OF_INT with a double (a count that lost its type): must not build. */
#include "../../core/out.h"

void
wrong(double d)
{
	OUT("bad", "{}", OF_INT("n", d));
}
