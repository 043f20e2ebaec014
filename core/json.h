/* JSON string and base64 encoding for --json events. */
#ifndef NETDEMO_JSON_H
#define NETDEMO_JSON_H

#include <stddef.h>

/* Room for a quoted JSON string of n bytes (\u00XX each) or its base64. */
#define JSON_STR_MAX(n)	(6 * (size_t)(n) + 3)
#define JSON_B64_MAX(n)	(4 * (((size_t)(n) + 2) / 3) + 3)

/*
 * A quoted JSON string of n bytes.  Bytes >= 0x80 are written as \u00XX
 * (Latin-1), so any input gives valid JSON; callers send non-text data as
 * base64 instead.  NUL-terminated; returns the length.
 */
size_t	json_str(char *dst, const void *p, size_t n);
/* A quoted base64 string (RFC 4648, padded). */
size_t	json_base64(char *dst, const void *p, size_t n);

#endif
