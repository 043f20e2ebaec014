/* The book's protocol texts, in one place: what the programs send. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "book.h"

#define REPLY_HEAD	"Your data was "
#define REPLY_TAIL	" bytes long"

/*
 * Eight bytes at a time, the server's hot loop: per byte, the low seven
 * bits plus 5 pass 0x7f past 'z', plus 0x1f past 'a' - 1; a lower-case
 * letter is between, with its top bit clear, and loses 0x20.
 */
void
book_upper(char *p, size_t n)
{
	const uint64_t ones = 0x0101010101010101ULL, top = ones * 0x80;
	size_t i;

	for (i = 0; i + 8 <= n; i += 8) {
		uint64_t x, h;

		memcpy(&x, p + i, 8);
		h = x & ~top;
		x ^= (((h + ones * 0x1f) ^ (h + ones * 5)) & ~x & top) >> 2;
		memcpy(p + i, &x, 8);
	}
	for (; i < n; i++)
		if (p[i] >= 'a' && p[i] <= 'z')
			p[i] = (char)(p[i] - 'a' + 'A');
}

size_t
book_reply(char *dst, size_t n)
{
	char digits[24], *d = digits + sizeof(digits);
	size_t len, head = sizeof(REPLY_HEAD) - 1, tail = sizeof(REPLY_TAIL);

	do
		*--d = (char)('0' + n % 10);
	while ((n /= 10) > 0);
	len = (size_t)(digits + sizeof(digits) - d);
	memcpy(dst, REPLY_HEAD, head);
	memcpy(dst + head, d, len);
	/* The tail's NUL ends the string. */
	memcpy(dst + head + len, REPLY_TAIL, tail);
	return head + len + tail - 1;
}

long long
book_reply_size(const void *reply, size_t len)
{
	const char *s = reply;
	size_t head = sizeof(REPLY_HEAD) - 1, tail = sizeof(REPLY_TAIL) - 1;
	size_t i = head;
	long long n = 0;

	if (len < head + 1 + tail || memcmp(s, REPLY_HEAD, head) != 0)
		return -1;
	/* At most 18 digits, so n cannot overflow (19 nines would). */
	for (; i < len - tail && i - head < 18; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		n = n * 10 + (s[i] - '0');
	}
	if (i == head || i != len - tail ||
	    memcmp(s + i, REPLY_TAIL, tail) != 0)
		return -1;
	return n;
}

void
book_eof16(char *dst, size_t cap, const char *peer, size_t got)
{
	snprintf(dst, cap, "recv from %s: EOFError: was expecting 16 bytes "
	    "but only received %zu bytes before the socket closed", peer, got);
}

size_t
book_time_text(char *dst, size_t cap)
{
	struct timespec ts;
	struct tm tm;
	long us;
	int n;

	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	us = ts.tv_nsec / 1000;
	n = snprintf(dst, cap, "The time is %04d-%02d-%02d %02d:%02d:%02d",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec);
	/* Python leaves the microseconds out when there are none. */
	if (us != 0 && n >= 0 && (size_t)n < cap)
		n += snprintf(dst + n, cap - (size_t)n, ".%06ld", us);
	return n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
}
