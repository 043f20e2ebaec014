/* Events rendered as the book's lines or as JSON, through one buffer. */
#ifndef NETDEMO_OUT_H
#define NETDEMO_OUT_H

#include <stddef.h>
#include <sys/socket.h>

enum of_kind {
	OFK_ADDR,	/* a socket address: tuple / {"host","port"} */
	OFK_TEXT,	/* received data: str or bytes repr / text or base64 */
	OFK_BYTES,	/* data always shown as a bytes repr */
	OFK_STR,	/* a C string, shown as is / a JSON string */
	OFK_REPR,	/* a C string shown as Python's str repr */
	OFK_INT,
	OFK_REAL	/* Python's float repr in both */
};

/* One field of an event: its JSON key and its value. */
struct of {
	const char	*key;
	enum of_kind	 kind;
	const void	*p;
	size_t		 n;
	long long	 i;
	double		 d;
};

#define OF_ADDR(k, a)	{ (k), OFK_ADDR, (a), 0, 0, 0 }
#define OF_TEXT(k, b, l) { (k), OFK_TEXT, (b), (l), 0, 0 }
#define OF_BYTES(k, b, l) { (k), OFK_BYTES, (b), (l), 0, 0 }
#define OF_STR(k, s)	{ (k), OFK_STR, (s), 0, 0, 0 }
#define OF_REPR(k, s)	{ (k), OFK_REPR, (s), 0, 0, 0 }
#define OF_INT(k, v)	{ (k), OFK_INT, NULL, 0, (v), 0 }
#define OF_REAL(k, v)	{ (k), OFK_REAL, NULL, 0, 0, (v) }

/* Choose the rendering once, from the common options. */
void	out_init(int json, int quiet);
int	out_json(void);

/*
 * One event.  book is the book's line, with {} where the fields go, in order
 * (fields past the last {} appear in JSON only); NULL for a JSON-only event.
 * event is NULL for a line the book prints that says nothing a script needs
 * ("Waiting to accept a new connection"): no JSON object at all.  With -q
 * only "error" events are written, and only as JSON.  Nothing is written
 * until out_flush().
 */
void	out_event(const char *event, const char *book, const struct of *f,
	    size_t nf);
#define OUT(ev, book, ...) do {						\
	const struct of of_[] = { __VA_ARGS__ };			\
	out_event((ev), (book), of_, sizeof(of_) / sizeof(of_[0]));	\
} while (0)

/*
 * A counter the book redraws with \r ("  32 bytes sent").  On a terminal it
 * is redrawn at most ten times a second; elsewhere only the final value is
 * printed, as the screen would end up showing it.  event NULL: book only.
 */
void	out_progress(const char *event, const char *book, const char *key,
	    long long n, int final);

/* Write what is buffered; called before anything that may block. */
void	out_flush(void);
/* Append raw text (help, man page, completion words). */
void	out_text(const char *s);
/*
 * Flush and exit with status.  The function given to out_at_exit() runs
 * first, once, whatever the way out (the end of main, die(), a signal): a
 * server's summary event goes there.
 */
void	out_exit(int status) __attribute__((noreturn));
void	out_at_exit(void (*fn)(int status));

/* The status when stdout is gone (a reader like head -1 closed it). */
#define OUT_EXIT_EPIPE	141

#endif
