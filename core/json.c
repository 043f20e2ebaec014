/* JSON string and base64 encoding for --json events. */
#include "json.h"

static const char hex[] = "0123456789abcdef";

size_t
json_str(char *dst, const void *p, size_t n)
{
	const unsigned char *s = p;
	char *d = dst;

	*d++ = '"';
	for (size_t i = 0; i < n; i++) {
		unsigned char c = s[i];

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			*d++ = (char)c;
			continue;
		}
		*d++ = '\\';
		switch (c) {
		case '"':
		case '\\':
			*d++ = (char)c;
			break;
		case '\n':
			*d++ = 'n';
			break;
		case '\r':
			*d++ = 'r';
			break;
		case '\t':
			*d++ = 't';
			break;
		default:
			/* Control bytes, DEL and Latin-1 as \u00XX. */
			*d++ = 'u';
			*d++ = '0';
			*d++ = '0';
			*d++ = hex[c >> 4];
			*d++ = hex[c & 15];
		}
	}
	*d++ = '"';
	*d = '\0';
	return (size_t)(d - dst);
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
