/* libFuzzer target: Python's repr of str, bytes, floats and addresses. */
#include <arpa/inet.h>
#include <math.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "../../core/repr.h"
#include "fuzz.h"

/*
 * Read a repr back as Python would read the literal, into out (room for n
 * bytes).  Checks the quoting on the way: only the chosen quote and the
 * backslash are escaped, only printable ASCII stands for itself.  Returns
 * the length.
 */
static size_t
unrepr(const char *s, size_t len, int is_bytes, unsigned char *out)
{
	size_t i = 0, n = 0;
	char q;

	if (is_bytes) {
		FUZZ_CHECK(len > 0 && s[0] == 'b');
		i++;
	}
	FUZZ_CHECK(len >= i + 2);
	q = s[i++];
	FUZZ_CHECK(q == '\'' || q == '"');
	FUZZ_CHECK(s[len - 1] == q);
	len--;
	while (i < len) {
		unsigned char c = (unsigned char)s[i++];

		FUZZ_CHECK(c >= 0x20 && c < 0x7f && c != q);
		if (c != '\\') {
			out[n++] = c;
			continue;
		}
		FUZZ_CHECK(i < len);
		c = (unsigned char)s[i++];
		switch (c) {
		case 'n':
			out[n++] = '\n';
			break;
		case 'r':
			out[n++] = '\r';
			break;
		case 't':
			out[n++] = '\t';
			break;
		case '\\':
		case '\'':
		case '"':
			FUZZ_CHECK(c == '\\' || c == (unsigned char)q);
			out[n++] = c;
			break;
		case 'x': {
			unsigned v;

			FUZZ_CHECK(i + 2 <= len);
			FUZZ_CHECK(sscanf(s + i, "%2x", &v) == 1);
			/* Python writes \x only for what has no other form. */
			FUZZ_CHECK(v < 0x20 || v >= 0x7f);
			FUZZ_CHECK(v != '\n' && v != '\r' && v != '\t');
			out[n++] = (unsigned char)v;
			i += 2;
			break;
		}
		default:
			FUZZ_CHECK(!"unknown escape");
		}
	}
	return n;
}

/* Python's choice of quote: " only for text with ' and no ". */
static char
python_quote(const uint8_t *p, size_t n)
{
	return memchr(p, '\'', n) && !memchr(p, '"', n) ? '"' : '\'';
}

static void
check_text(const uint8_t *p, size_t n, int mode)
{
	size_t cap = REPR_MAX(n), len;
	char *dst = malloc(cap);
	unsigned char *back = malloc(n + 1);
	int is_bytes;

	FUZZ_CHECK(dst && back);
	if (mode == 0) {
		len = repr_bytes(dst, p, n);
		is_bytes = 1;
	} else if (mode == 1) {
		/* A str repr is of ASCII text only, as callers promise. */
		if (!repr_is_ascii(p, n))
			goto out;
		len = repr_str(dst, p, n);
		is_bytes = 0;
	} else {
		len = repr_text(dst, p, n);
		is_bytes = !repr_is_ascii(p, n);
	}
	FUZZ_CHECK(len < cap && dst[len] == '\0' && strlen(dst) == len);
	FUZZ_CHECK(dst[is_bytes] == python_quote(p, n));
	FUZZ_CHECK(unrepr(dst, len, is_bytes, back) == n);
	FUZZ_CHECK(n == 0 || memcmp(back, p, n) == 0);
out:
	free(dst);
	free(back);
}

static void
check_float(const uint8_t *p, size_t n)
{
	char *dst = malloc(40), *end;
	double v, w;
	size_t len;

	FUZZ_CHECK(dst != NULL);
	if (n < sizeof(v)) {
		free(dst);
		return;
	}
	memcpy(&v, p, sizeof(v));
	len = repr_float(dst, 40, v);
	FUZZ_CHECK(len < 40 && strlen(dst) == len);
	if (isnan(v))
		FUZZ_CHECK(strcmp(dst, "nan") == 0);
	else if (isinf(v))
		FUZZ_CHECK(strcmp(dst, v > 0 ? "inf" : "-inf") == 0);
	else {
		/* Reads back to the same value, and looks like a float. */
		w = strtod(dst, &end);
		FUZZ_CHECK(*end == '\0' && w == v && !!signbit(w) == !!signbit(v));
		FUZZ_CHECK(strchr(dst, '.') || strchr(dst, 'e'));
	}
	free(dst);
}

static void
check_addr(const uint8_t *p, size_t n)
{
	struct sockaddr_storage ss;
	size_t cap, len;
	char *dst;

	if (n < 2)
		return;
	memset(&ss, 0, sizeof(ss));
	memcpy(&ss, p + 2, n - 2 < sizeof(ss) ? n - 2 : sizeof(ss));
	ss.ss_family = p[0] % 3 == 0 ? AF_INET : p[0] % 3 == 1 ? AF_INET6 :
	    (sa_family_t)p[0];
	/* Any room from 1 byte up: the result is cut, never overflows. */
	cap = 1 + p[1] % REPR_ADDR_MAX;
	dst = malloc(cap);
	FUZZ_CHECK(dst != NULL);
	len = repr_addr(dst, cap, (const void *)&ss);
	FUZZ_CHECK(len < cap && strlen(dst) == len);
	len = repr_host(dst, cap, (const void *)&ss);
	FUZZ_CHECK(len < cap && strlen(dst) == len);
	FUZZ_CHECK(repr_port((const void *)&ss) >= 0 &&
	    repr_port((const void *)&ss) <= 65535);
	free(dst);
	/* With the room callers give, the whole tuple fits. */
	dst = malloc(REPR_ADDR_MAX);
	FUZZ_CHECK(dst != NULL);
	len = repr_addr(dst, REPR_ADDR_MAX, (const void *)&ss);
	FUZZ_CHECK(len > 0 && dst[0] == '(' && dst[len - 1] == ')');
	free(dst);
}

/* The first byte picks the function; the rest is its input. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *p;

	if (size == 0)
		return 0;
	p = fuzz_rest(data, size);
	switch (data[0] % 5) {
	case 0:
	case 1:
	case 2:
		check_text(p, size - 1, data[0] % 5);
		break;
	case 3:
		check_float(p, size - 1);
		break;
	case 4:
		check_addr(p, size - 1);
		break;
	}
	free(p);
	return 0;
}
