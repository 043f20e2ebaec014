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
	return memchr(s, '\'', n) && !memchr(s, '"', n) ? '"' : '\'';
}

static size_t
repr_quoted(char *dst, const unsigned char *s, size_t n, int is_bytes)
{
	static const char hex[] = "0123456789abcdef";
	char q = (char)pick_quote(s, n), *d = dst;

	if (is_bytes)
		*d++ = 'b';
	*d++ = q;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = s[i];

		/* Printable ASCII, the common case, first. */
		if (c >= 0x20 && c < 0x7f && c != q && c != '\\')
			*d++ = (char)c;
		else if (c == q || c == '\\') {
			*d++ = '\\';
			*d++ = (char)c;
		} else if (c == '\n') {
			*d++ = '\\';
			*d++ = 'n';
		} else if (c == '\r') {
			*d++ = '\\';
			*d++ = 'r';
		} else if (c == '\t') {
			*d++ = '\\';
			*d++ = 't';
		} else if (c < 0x20 || c >= 0x7f) {
			*d++ = '\\';
			*d++ = 'x';
			*d++ = hex[c >> 4];
			*d++ = hex[c & 15];
		}
	}
	*d++ = q;
	*d = '\0';
	return (size_t)(d - dst);
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

size_t
repr_float(char *dst, size_t cap, double v)
{
	char buf[40], digits[20];
	int prec, exp, nd = 0, neg;
	size_t len;
	char *e;

	if (isnan(v))
		return (size_t)snprintf(dst, cap, "nan");
	if (v == 0)
		return (size_t)snprintf(dst, cap, signbit(v) ? "-0.0" : "0.0");
	if (isinf(v))
		return (size_t)snprintf(dst, cap, v > 0 ? "inf" : "-inf");
	/* The shortest %e that reads back as v holds Python's digits. */
	for (prec = 0; prec < 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*e", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	neg = buf[0] == '-';
	for (char *s = buf + neg; *s && *s != 'e'; s++)
		if (*s != '.')
			digits[nd++] = *s;
	digits[nd] = '\0';
	e = strchr(buf, 'e');
	exp = e ? atoi(e + 1) : 0;
	/* repr uses plain notation for 1e-4 <= |v| < 1e16. */
	if (exp >= -4 && exp < 16) {
		char out[48], *o = out;

		if (neg)
			*o++ = '-';
		if (exp < 0) {
			*o++ = '0';
			*o++ = '.';
			for (int i = -1; i > exp; i--)
				*o++ = '0';
			for (int i = 0; i < nd; i++)
				*o++ = digits[i];
		} else {
			for (int i = 0; i <= exp; i++)
				*o++ = i < nd ? digits[i] : '0';
			*o++ = '.';
			if (nd > exp + 1)
				for (int i = exp + 1; i < nd; i++)
					*o++ = digits[i];
			else
				*o++ = '0';
		}
		*o = '\0';
		len = (size_t)snprintf(dst, cap, "%s", out);
	} else if (nd == 1)
		len = (size_t)snprintf(dst, cap, "%s%ce%c%02d", neg ? "-" : "",
		    digits[0], exp < 0 ? '-' : '+', abs(exp));
	else
		len = (size_t)snprintf(dst, cap, "%s%c.%se%c%02d",
		    neg ? "-" : "", digits[0], digits + 1, exp < 0 ? '-' : '+',
		    abs(exp));
	return len;
}

/* v in decimal at d, without printf's cost on a per-datagram path. */
static size_t
put_uint(char *d, unsigned long v)
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
	char ifname[IF_NAMESIZE], buf[16], *d = buf;
	size_t n;

	if (cap == 0)
		return 0;
	dst[0] = '\0';
	if (sa->sa_family == AF_INET) {
		const unsigned char *b = (const void *)
		    &((const struct sockaddr_in *)(const void *)sa)->sin_addr;

		for (int i = 0; i < 4; i++) {
			if (i)
				*d++ = '.';
			d += put_uint(d, b[i]);
		}
		n = (size_t)(d - buf) < cap ? (size_t)(d - buf) : cap - 1;
		memcpy(dst, buf, n);
		dst[n] = '\0';
		return n;
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const void *)sa;

		inet_ntop(AF_INET6, &in6->sin6_addr, dst, (socklen_t)cap);
		/* Python adds %scope to link-local addresses that carry one. */
		if (in6->sin6_scope_id &&
		    IN6_IS_ADDR_LINKLOCAL(&in6->sin6_addr)) {
			size_t l = strlen(dst);

			if (if_indextoname(in6->sin6_scope_id, ifname))
				snprintf(dst + l, cap - l, "%%%s", ifname);
			else
				snprintf(dst + l, cap - l, "%%%u",
				    (unsigned)in6->sin6_scope_id);
		}
	} else
		snprintf(dst, cap, "?");
	return strlen(dst);
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
	size_t n;

	if (cap == 0)
		return 0;
	*d++ = '(';
	*d++ = '\'';
	d += repr_host(d, REPR_ADDR_MAX, sa);
	memcpy(d, "', ", 3);
	d += 3;
	d += put_uint(d, (unsigned long)repr_port(sa));
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const void *)sa;

		*d++ = ',';
		*d++ = ' ';
		d += put_uint(d, ntohl(in6->sin6_flowinfo));
		*d++ = ',';
		*d++ = ' ';
		d += put_uint(d, in6->sin6_scope_id);
	}
	*d++ = ')';
	n = (size_t)(d - buf) < cap ? (size_t)(d - buf) : cap - 1;
	memcpy(dst, buf, n);
	dst[n] = '\0';
	return n;
}
