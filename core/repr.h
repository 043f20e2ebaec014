/* Python-style repr of str, bytes, floats and socket addresses. */
#ifndef NETDEMO_REPR_H
#define NETDEMO_REPR_H

#include <stddef.h>
#include <sys/socket.h>

/* Room a repr of n bytes may need: b, two quotes, \xNN for each byte, NUL. */
#define REPR_MAX(n)	(4 * (size_t)(n) + 4)
/* Room for any address tuple: ('ffff:...%ifname', 65535, 4294967295, ...). */
#define REPR_ADDR_MAX	128

/* 1 when every byte is ASCII, so Python's data.decode('ascii') works. */
int	repr_is_ascii(const void *p, size_t n);

/*
 * Python's repr() of bytes (b'...') and of an ASCII str ('...'): the quote is
 * " when the text holds ' and no ", as Python chooses.  dst holds REPR_MAX(n);
 * the result is NUL-terminated and its length returned.
 */
size_t	repr_bytes(char *dst, const void *p, size_t n);
size_t	repr_str(char *dst, const void *p, size_t n);
/* What the book prints for received data: str repr if ASCII, else bytes. */
size_t	repr_text(char *dst, const void *p, size_t n);

/* Python's repr() of a float: the shortest text that reads back the same. */
size_t	repr_float(char *dst, size_t cap, double v);
/*
 * A duration as a message says it: "1 second", "0.5 seconds", "5 seconds"
 * (%g, the way the options are written), NUL-terminated; its length.
 */
size_t	repr_secs(char *dst, size_t cap, double secs);

/*
 * v in decimal at d (at most 20 digits, no NUL), without printf's cost on
 * a per-datagram path; returns the length.
 */
size_t	repr_uint(char *d, unsigned long long v);

/* getsockname()'s tuple as Python prints it; "('?', 0)" for other families. */
size_t	repr_addr(char *dst, size_t cap, const struct sockaddr *sa);
/* Only the host part of the address, for JSON and messages. */
size_t	repr_host(char *dst, size_t cap, const struct sockaddr *sa);
int	repr_port(const struct sockaddr *sa);

#endif
