/* JSON string and base64 encoding for --json events. */
#include "json.h"
#include "repr.h"

size_t
json_str(char *dst, const void *p, size_t n)
{
	return repr_quote(dst, p, n, '"', 1);
}

size_t
json_base64(char *dst, const void *p, size_t n)
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *s = p;
	char *d = dst;
	size_t i;

	*d++ = '"';
	/* Each three bytes make four digits; a short last group, '=' too. */
	for (i = 0; i < n; i += 3) {
		unsigned v = (unsigned)s[i] << 16;

		if (i + 1 < n)
			v |= (unsigned)s[i + 1] << 8;
		if (i + 2 < n)
			v |= s[i + 2];
		for (size_t k = 0; k < 4; k++)
			*d++ = k <= n - i ? b64[(v >> (18 - 6 * k)) & 63] : '=';
	}
	*d++ = '"';
	*d = '\0';
	return (size_t)(d - dst);
}
