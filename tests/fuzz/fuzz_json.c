/* libFuzzer target: the JSON encoder, and events rendered through core/out. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../core/json.h"
#include "../../core/out.h"
#include "fuzz.h"

/* stdout is a memfd, so what core/out writes can be read back. */
static int outfd = -1;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int fd = memfd_create("fuzz-stdout", 0);

	(void)argc;
	(void)argv;
	FUZZ_CHECK(fd >= 0 && dup2(fd, STDOUT_FILENO) == STDOUT_FILENO);
	close(fd);
	outfd = STDOUT_FILENO;
	return 0;
}

/*
 * A strict reader of the JSON core/out writes, each function taking what
 * it parsed off the front of *s (up to end) and failing the check on
 * anything that is not JSON.
 */
static void json_value(const char **s, const char *end);

static void
json_ws(const char **s, const char *end)
{
	while (*s < end && (**s == ' ' || **s == '\t'))
		(*s)++;
}

static void
json_expect(const char **s, const char *end, char c)
{
	json_ws(s, end);
	FUZZ_CHECK(*s < end && **s == c);
	(*s)++;
}

/* The buffers read back are not NUL-terminated: no sscanf here. */
static unsigned
hexval(char c)
{
	static const char hex[] = "0123456789abcdef";
	const char *p = c ? strchr(hex, c) : NULL;

	FUZZ_CHECK(p != NULL);
	return (unsigned)(p - hex);
}

/* A string; its bytes (\u00XX as one byte) go to out when out is set. */
static size_t
json_string(const char **s, const char *end, unsigned char *out)
{
	size_t n = 0;

	json_expect(s, end, '"');
	for (;;) {
		unsigned char c;

		FUZZ_CHECK(*s < end);
		c = (unsigned char)*(*s)++;
		FUZZ_CHECK(c >= 0x20 && c < 0x7f);
		if (c == '"')
			return n;
		if (c == '\\') {
			FUZZ_CHECK(*s < end);
			c = (unsigned char)*(*s)++;
			switch (c) {
			case '"':
			case '\\':
			case '/':
				break;
			case 'n':
				c = '\n';
				break;
			case 'r':
				c = '\r';
				break;
			case 't':
				c = '\t';
				break;
			case 'b':
				c = '\b';
				break;
			case 'f':
				c = '\f';
				break;
			case 'u': {
				unsigned v = 0;

				FUZZ_CHECK(end - *s >= 4);
				for (int k = 0; k < 4; k++)
					v = v << 4 | hexval((*s)[k]);
				FUZZ_CHECK(v < 0x100);
				c = (unsigned char)v;
				*s += 4;
				break;
			}
			default:
				FUZZ_CHECK(!"bad escape");
			}
		}
		if (out)
			out[n] = c;
		n++;
	}
}

static void
json_number(const char **s, const char *end)
{
	const char *p = *s;
	char buf[64];
	char *e;
	size_t len;

	while (p < end && *p && strchr("+-0123456789.eE", *p))
		p++;
	len = (size_t)(p - *s);
	FUZZ_CHECK(len > 0 && len < sizeof(buf));
	memcpy(buf, *s, len);
	buf[len] = '\0';
	strtod(buf, &e);
	FUZZ_CHECK(*e == '\0');
	*s = p;
}

static void
json_object(const char **s, const char *end)
{
	json_expect(s, end, '{');
	json_ws(s, end);
	if (*s < end && **s == '}') {
		(*s)++;
		return;
	}
	for (;;) {
		json_string(s, end, NULL);
		json_expect(s, end, ':');
		json_value(s, end);
		json_ws(s, end);
		FUZZ_CHECK(*s < end);
		if (**s == '}') {
			(*s)++;
			return;
		}
		json_expect(s, end, ',');
	}
}

static void
json_value(const char **s, const char *end)
{
	json_ws(s, end);
	FUZZ_CHECK(*s < end);
	if (**s == '{')
		json_object(s, end);
	else if (**s == '"')
		json_string(s, end, NULL);
	else if ((size_t)(end - *s) >= 4 && memcmp(*s, "true", 4) == 0)
		*s += 4;
	else if ((size_t)(end - *s) >= 5 && memcmp(*s, "false", 5) == 0)
		*s += 5;
	else if ((size_t)(end - *s) >= 4 && memcmp(*s, "null", 4) == 0)
		*s += 4;
	else
		json_number(s, end);
}

static int
b64val(char c)
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = c ? strchr(b64, c) : NULL;

	FUZZ_CHECK(p != NULL);
	return (int)(p - b64);
}

static void
check_encoders(const uint8_t *p, size_t n)
{
	size_t cap = JSON_STR_MAX(n), len, m = 0;
	char *dst = malloc(cap);
	unsigned char *back = malloc(n + 1);
	const char *s;

	FUZZ_CHECK(dst && back);
	len = json_str(dst, p, n);
	FUZZ_CHECK(len < cap && dst[len] == '\0');
	s = dst;
	FUZZ_CHECK(json_string(&s, dst + len, back) == n && s == dst + len);
	FUZZ_CHECK(n == 0 || memcmp(back, p, n) == 0);
	free(dst);

	cap = JSON_B64_MAX(n);
	dst = malloc(cap);
	FUZZ_CHECK(dst != NULL);
	len = json_base64(dst, p, n);
	FUZZ_CHECK(len < cap && dst[len] == '\0' && strlen(dst) == len);
	FUZZ_CHECK(len >= 2 && dst[0] == '"' && dst[len - 1] == '"');
	FUZZ_CHECK((len - 2) % 4 == 0);
	for (size_t i = 1; i + 1 < len; i += 4) {
		int pad = (dst[i + 2] == '=') + (dst[i + 3] == '=');
		unsigned v = (unsigned)b64val(dst[i]) << 18 |
		    (unsigned)b64val(dst[i + 1]) << 12 |
		    (pad < 2 ? (unsigned)b64val(dst[i + 2]) << 6 : 0) |
		    (pad < 1 ? (unsigned)b64val(dst[i + 3]) : 0);

		FUZZ_CHECK(pad == 0 || i + 4 == len - 1);
		back[m++] = (unsigned char)(v >> 16);
		if (pad < 2)
			back[m++] = (unsigned char)(v >> 8);
		if (pad < 1)
			back[m++] = (unsigned char)v;
	}
	FUZZ_CHECK(m == n && (n == 0 || memcmp(back, p, n) == 0));
	free(dst);
	free(back);
}

/* A NUL-terminated copy of part of the input, for OF_STR and the like. */
static char *
cstr(const uint8_t *p, size_t n)
{
	char *s = malloc(n + 1);

	FUZZ_CHECK(s != NULL);
	memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

/*
 * One event of every field kind, from the input: byte 0 picks JSON or the
 * book's line, bytes 1-2 where the data is cut into template, text and
 * bytes.  In JSON mode every line written must be one JSON object.
 */
static void
check_event(const uint8_t *p, size_t n)
{
	struct sockaddr_in6 a6;
	struct sockaddr_in a4;
	size_t cut1, cut2, len, m;
	char *book, *str, *text;
	int json;
	struct stat st;
	long long ll;
	double d;

	if (n < 3 + sizeof(d))
		return;
	json = p[0] & 1;
	memcpy(&d, p + 1, sizeof(d));
	memcpy(&ll, p + 1, sizeof(ll));
	p += 1 + sizeof(d);
	n -= 1 + sizeof(d);
	/* After the two cut bytes, m bytes: book | str | text. */
	m = n - 2;
	cut1 = p[0] % (m + 1);
	cut2 = cut1 + p[1] % (m - cut1 + 1);
	book = cstr(p + 2, cut1);
	str = cstr(p + 2 + cut1, cut2 - cut1);
	text = (char *)p + 2 + cut2;
	len = m - cut2;

	memset(&a4, 0, sizeof(a4));
	a4.sin_family = AF_INET;
	a4.sin_port = htons((uint16_t)n);
	memcpy(&a4.sin_addr, p, 2);
	memset(&a6, 0, sizeof(a6));
	a6.sin6_family = AF_INET6;
	a6.sin6_addr.s6_addr[0] = 0xfe;
	a6.sin6_addr.s6_addr[1] = 0x80;
	a6.sin6_scope_id = p[1];

	FUZZ_CHECK(ftruncate(outfd, 0) == 0 && lseek(outfd, 0, SEEK_SET) == 0);
	out_init(json, 0);
	OUT(str, book, OF_ADDR("from", &a4), OF_TEXT("data", text, len),
	    OF_BYTES("raw", text, len), OF_STR("str", str),
	    OF_REPR("repr", str), OF_INT("n", ll), OF_REAL("delay", d),
	    OF_ADDR("peer", &a6));
	OUT("empty", NULL);
	out_flush();
	if (json) {
		char *buf, *s, *end;

		FUZZ_CHECK(fstat(outfd, &st) == 0);
		buf = malloc((size_t)st.st_size + 1);
		FUZZ_CHECK(buf != NULL);
		FUZZ_CHECK(pread(outfd, buf, (size_t)st.st_size, 0) ==
		    st.st_size);
		end = buf + st.st_size;
		for (s = buf; s < end;) {
			const char *q = s;
			char *nl = memchr(s, '\n', (size_t)(end - s));

			FUZZ_CHECK(nl != NULL);
			json_object(&q, nl);
			FUZZ_CHECK(q == nl);
			s = nl + 1;
		}
		free(buf);
	}
	free(book);
	free(str);
}

/* The first byte picks what to check; the rest is its input. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *p;

	if (size == 0)
		return 0;
	p = fuzz_rest(data, size);
	if (data[0] & 1)
		check_encoders(p, size - 1);
	else
		check_event(p, size - 1);
	free(p);
	return 0;
}
