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
	int single = 0, dbl = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\'')
			single = 1;
		else if (s[i] == '"')
			dbl = 1;
	}
	return single && !dbl ? '"' : '\'';
}

static size_t
repr_quoted(char *dst, const unsigned char *s, size_t n, int is_bytes)
{
	static const char hex[] = "0123456789abcdef";
	char q = pick_quote(s, n), *d = dst;

	if (is_bytes)
		*d++ = 'b';
	*d++ = q;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = s[i];

		if (c == q || c == '\\') {
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
		} else
			*d++ = (char)c;
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

size_t
repr_host(char *dst, size_t cap, const struct sockaddr *sa)
{
	char ifname[IF_NAMESIZE];

	if (cap == 0)
		return 0;
	dst[0] = '\0';
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const void *)sa;

		inet_ntop(AF_INET, &in->sin_addr, dst, (socklen_t)cap);
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
	char host[REPR_ADDR_MAX];
	int n;

	repr_host(host, sizeof(host), sa);
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const void *)sa;

		n = snprintf(dst, cap, "('%s', %d, %u, %u)", host,
		    repr_port(sa), (unsigned)ntohl(in6->sin6_flowinfo),
		    (unsigned)in6->sin6_scope_id);
	} else
		n = snprintf(dst, cap, "('%s', %d)", host, repr_port(sa));
	if (n < 0)
		return 0;
	return (size_t)n < cap ? (size_t)n : cap - 1;
}
