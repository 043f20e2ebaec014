/* Python-style repr of str, bytes, floats and socket addresses. */
#include <arpa/inet.h>
#include <net/if.h>
#include <math.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "repr.h"

int
repr_is_ascii(const void *p, size_t n)
{
	const unsigned char *s = p;

	for (size_t i = 0; i < n; i++)
		if (s[i] >= 0x80)
			return 0;
	return 1;
}

/* Python picks " only when the text holds ' and no ". */
static char
pick_quote(const unsigned char *s, size_t n)
{
	int single = 0;

	for (size_t i = 0; i < n; i++)
		if (s[i] == '"')
			return '\'';
		else
			single |= s[i] == '\'';
	return single ? '"' : '\'';
}

/* n bytes at p between quotes q, escaped as Python escapes a str. */
static size_t
quote(char *dst, const unsigned char *s, size_t n, char q)
{
	static const char hex[] = "0123456789abcdef";
	char *d = dst;

	*d++ = q;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = s[i];

		/* Printable ASCII, the common case, first. */
		if (c >= 0x20 && c < 0x7f && c != q && c != '\\')
			*d++ = (char)c;
		else {
			*d++ = '\\';
			if (c == q || c == '\\')
				*d++ = (char)c;
			else if (c == '\n')
				*d++ = 'n';
			else if (c == '\r')
				*d++ = 'r';
			else if (c == '\t')
				*d++ = 't';
			else {
				*d++ = 'x';
				*d++ = hex[c >> 4];
				*d++ = hex[c & 15];
			}
		}
	}
	*d++ = q;
	*d = '\0';
	return (size_t)(d - dst);
}

static size_t
repr_quoted(char *dst, const unsigned char *s, size_t n, int is_bytes)
{
	if (is_bytes)
		*dst++ = 'b';
	return (size_t)is_bytes + quote(dst, s, n, pick_quote(s, n));
}

size_t
repr_bytes(char *dst, const void *p, size_t n)
{
	return repr_quoted(dst, p, n, 1);
}

size_t
repr_str(char *dst, const void *p, size_t n)
{
	return repr_quoted(dst, p, n, 0);
}

size_t
repr_text(char *dst, const void *p, size_t n)
{
	return repr_quoted(dst, p, n, !repr_is_ascii(p, n));
}

/* The n bytes at src into dst of cap bytes, cut to fit, NUL-terminated. */
static size_t
fit(char *dst, size_t cap, const char *src, size_t n)
{
	if (cap == 0)
		return 0;
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
	return n;
}

size_t
repr_float(char *dst, size_t cap, double v)
{
	char buf[40], *e;
	int prec;
	long long exp;

	/* printf may say "-nan"; Python never does. */
	if (isnan(v))
		return fit(dst, cap, "nan", 3);
	/*
	 * The shortest %e that reads back as v holds Python's digits; 17
	 * always do.
	 */
	for (prec = 0;; prec++) {
		snprintf(buf, sizeof(buf), "%.*e", prec, v);
		if (prec == 16 || strtod(buf, NULL) == v)
			break;
	}
	/*
	 * repr uses plain notation for 1e-4 <= |v| < 1e16, with those digits
	 * and at least one after the point: %f to the same last place rounds
	 * the same way.  (An integer there is exact, so ".0" is the truth.)
	 * Otherwise %e is repr: a sign and at least two exponent digits;
	 * "inf" and "-inf" too, which have no exponent.
	 */
	if ((e = strchr(buf, 'e')) != NULL &&
	    (exp = strtoll(e + 1, NULL, 10)) >= -4 && exp < 16)
		snprintf(buf, sizeof(buf), "%.*f", prec - exp > 1 ?
		    (int)(prec - exp) : 1, v);
	return fit(dst, cap, buf, strlen(buf));
}

size_t
repr_secs(char *dst, size_t cap, double secs)
{
	int n = snprintf(dst, cap, "%g %s", secs, secs == 1 ? "second" :
	    "seconds");

	return n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
}

size_t
repr_uint(char *d, unsigned long long v)
{
	char tmp[24], *t = tmp + sizeof(tmp);

	do
		*--t = (char)('0' + v % 10);
	while ((v /= 10) > 0);
	memcpy(d, t, (size_t)(tmp + sizeof(tmp) - t));
	return (size_t)(tmp + sizeof(tmp) - t);
}

size_t
repr_host(char *dst, size_t cap, const struct sockaddr *sa)
{
	char buf[REPR_ADDR_MAX], *d = buf;

	if (sa->sa_family == AF_INET) {
		const unsigned char *b = (const void *)
		    &((const struct sockaddr_in *)(const void *)sa)->sin_addr;

		for (int i = 0; i < 4; i++) {
			if (i)
				*d++ = '.';
			d += repr_uint(d, b[i]);
		}
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const void *)sa;

		inet_ntop(AF_INET6, &in6->sin6_addr, buf, sizeof(buf));
		d += strlen(buf);
		/*
		 * Python adds the scope that an address carries, as glibc's
		 * getnameinfo() does: an interface's name for a link-local
		 * address or group (fe80::1%eth0, ff02::1%eth0), else the
		 * number.
		 */
		if (in6->sin6_scope_id) {
			*d++ = '%';
			if ((IN6_IS_ADDR_LINKLOCAL(&in6->sin6_addr) ||
			    IN6_IS_ADDR_MC_LINKLOCAL(&in6->sin6_addr)) &&
			    if_indextoname(in6->sin6_scope_id, d))
				d += strlen(d);
			else
				d += repr_uint(d, in6->sin6_scope_id);
		}
	} else
		*d++ = '?';
	return fit(dst, cap, buf, (size_t)(d - buf));
}

int
repr_port(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)(const void *)sa)
		    ->sin_port);
	if (sa->sa_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)(const void *)sa)
		    ->sin6_port);
	return 0;
}

size_t
repr_addr(char *dst, size_t cap, const struct sockaddr *sa)
{
	char buf[REPR_ADDR_MAX + 48], *d = buf;

	*d++ = '(';
	*d++ = '\'';
	d += repr_host(d, REPR_ADDR_MAX, sa);
	memcpy(d, "', ", 3);
	d += 3;
	d += repr_uint(d, (unsigned long)repr_port(sa));
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const void *)sa;

		*d++ = ',';
		*d++ = ' ';
		d += repr_uint(d, ntohl(in6->sin6_flowinfo));
		*d++ = ',';
		*d++ = ' ';
		d += repr_uint(d, in6->sin6_scope_id);
	}
	*d++ = ')';
	return fit(dst, cap, buf, (size_t)(d - buf));
}
