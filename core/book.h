/* The book's protocol texts, in one place: what the programs send. */
#ifndef NETDEMO_BOOK_H
#define NETDEMO_BOOK_H

#include <stddef.h>

/* Every program of the book listens on this port unless told otherwise. */
#define BOOK_PORT	1060

/* tcp_sixteen: sixteen octets each way. */
#define BOOK_HELLO	"Hi there, server"
#define BOOK_FAREWELL	"Farewell, client"
#define BOOK_SIXTEEN	16

/* tcp_deadlock: what the client sends, over and over. */
#define BOOK_UPPER_TEXT	"capitalize this!"

/*
 * What tcp_deadlock's server does to the data, Python's bytes.upper():
 * ASCII a-z to A-Z, every other byte as it is.
 */
void	book_upper(char *p, size_t n);

/* udp_remote's client, and udp_broadcast's. */
#define BOOK_REMOTE_TEXT "This is another message"
#define BOOK_BROADCAST_TEXT "Broadcast datagram!"

/* Room for "Your data was N bytes long" with any size_t N, and its NUL. */
#define BOOK_REPLY_MAX	48

/*
 * The UDP servers' reply, "Your data was N bytes long", into dst (room for
 * BOOK_REPLY_MAX), NUL-terminated; returns its length.  Without printf: a
 * server writes one per datagram.
 */
size_t	book_reply(char *dst, size_t n);

/*
 * N from a reply "Your data was N bytes long" of exactly len bytes; -1 when
 * the bytes say anything else.
 */
long long book_reply_size(const void *reply, size_t len);

/*
 * Python's EOFError when the sixteen-octet exchange ends short, as the
 * book's recvall() raises it, for the client and the server alike: "recv
 * from PEER: EOFError: was expecting 16 bytes but only received N bytes
 * before the socket closed", into dst.
 */
void	book_eof16(char *dst, size_t cap, const char *peer, size_t got);

/*
 * udp_local's message: "The time is " and Python's str(datetime.now()),
 * with microseconds unless there are none.  Returns its length.
 */
size_t	book_time_text(char *dst, size_t cap);

#endif
