/* OF_TEXT with an integer where the data goes: must not build. */
#include <stddef.h>

#include "../../core/out.h"

void
wrong(long data, size_t n)
{
	OUT("bad", "{}", OF_TEXT("data", data, n));
}
