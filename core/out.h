/* Events rendered as the book's lines or as JSON, through one buffer. */
#ifndef NETDEMO_OUT_H
#define NETDEMO_OUT_H

#include <netinet/in.h>
#include <stddef.h>
#include <sys/socket.h>

/*
 * One field of an event: its key, how it is shown, and its value.  A field
 * is made by one of the OF_*() constructors below, each of which takes its
 * value as a typed argument, so a value of the wrong type does not build:
 * OF_INT("n", "text") and OF_STR("s", 42) are compile errors.
 */
struct of;

/*
 * How a kind of field is shown: as the book prints it, and as a JSON value.
 * A new kind is a new struct of_kind (its two functions, in out.c) and its
 * constructor below; nothing else changes.
 */
struct of_kind {
	void	(*book)(const struct of *f);
	void	(*json)(const struct of *f);
};

struct of {
	const char		*key;	/* NULL ends a list of fields */
	const struct of_kind	*kind;
	union {
		const struct sockaddr *addr;
		struct {
			const void	*p;
			size_t		 n;
		} data;
		const char	*s;
		long long	 i;
		double		 d;
	} v;
};

extern const struct of_kind of_addr_kind, of_text_kind, of_bytes_kind,
    of_str_kind, of_repr_kind, of_int_kind, of_real_kind, of_measure_kind,
    of_addrs_kind;

/* A socket address: Python's tuple; {"host": ..., "port": ...}. */
static inline struct of
of_addr(const char *key, const struct sockaddr *sa)
{
	return (struct of){ key, &of_addr_kind, { .addr = sa } };
}

/*
 * n socket addresses: a Python list of tuples; a JSON array of
 * {"host": ..., "port": ...}.
 */
static inline struct of
of_addrs(const char *key, const struct sockaddr_storage *a, size_t n)
{
	return (struct of){ key, &of_addrs_kind, { .data = { a, n } } };
}

/*
 * Received data: Python's str repr when it is ASCII, else bytes; JSON text,
 * or base64 when it is not ASCII (with "base64": true or false).
 */
static inline struct of
of_text(const char *key, const void *p, size_t n)
{
	return (struct of){ key, &of_text_kind, { .data = { p, n } } };
}

/* Data always shown as a bytes repr (b'...'); in JSON as of_text(). */
static inline struct of
of_bytes(const char *key, const void *p, size_t n)
{
	return (struct of){ key, &of_bytes_kind, { .data = { p, n } } };
}

/* A C string, shown as it is; a JSON string. */
static inline struct of
of_str(const char *key, const char *s)
{
	return (struct of){ key, &of_str_kind, { .s = s } };
}

/* A C string shown as Python's str repr ('...'); a JSON string. */
static inline struct of
of_repr(const char *key, const char *s)
{
	return (struct of){ key, &of_repr_kind, { .s = s } };
}

static inline struct of
of_int(const char *key, long long i)
{
	return (struct of){ key, &of_int_kind, { .i = i } };
}

/* A float, shown as Python's repr (0.1, 2.0); inf and nan: JSON null. */
static inline struct of
of_real(const char *key, double d)
{
	return (struct of){ key, &of_real_kind, { .d = d } };
}

/* A measured figure: as of_real(), but NaN (no samples) is "n/a", null. */
static inline struct of
of_measure(const char *key, double d)
{
	return (struct of){ key, &of_measure_kind, { .d = d } };
}

/*
 * The field constructors as the call sites write them.  OF_ADDR() takes
 * any of the socket address structs a program holds, and nothing else;
 * OF_INT() takes integers only (a double or a pointer does not build).
 */
#define OF_ADDR(k, a)	of_addr((k), _Generic((a),			\
	struct sockaddr *: (const struct sockaddr *)(a),		\
	const struct sockaddr *: (const struct sockaddr *)(a),		\
	struct sockaddr_in *: (const struct sockaddr *)(a),		\
	const struct sockaddr_in *: (const struct sockaddr *)(a),	\
	struct sockaddr_in6 *: (const struct sockaddr *)(a),		\
	const struct sockaddr_in6 *: (const struct sockaddr *)(a),	\
	struct sockaddr_storage *: (const struct sockaddr *)(a),	\
	const struct sockaddr_storage *: (const struct sockaddr *)(a)))
/* An array of struct sockaddr_storage, and nothing else. */
#define OF_ADDRS(k, a, n)	of_addrs((k), _Generic((a),		\
	struct sockaddr_storage *: (a),					\
	const struct sockaddr_storage *: (a)), (n))
#define OF_TEXT(k, p, n)	of_text((k), (p), (n))
#define OF_BYTES(k, p, n)	of_bytes((k), (p), (n))
#define OF_STR(k, s)		of_str((k), (s))
#define OF_REPR(k, s)		of_repr((k), (s))
#define OF_INT(k, x)	of_int((k), _Generic((x),			\
	_Bool: (x), char: (x), signed char: (x), unsigned char: (x),	\
	short: (x), unsigned short: (x), int: (x), unsigned: (x),	\
	long: (x), unsigned long: (x), long long: (x),			\
	unsigned long long: (x)))
#define OF_REAL(k, x)		of_real((k), (x))
#define OF_MEASURE(k, x)	of_measure((k), (x))

/* Choose the rendering once, from the common options. */
void	out_init(int json, int quiet);
int	out_json(void);

/*
 * One event.  book is the book's line, with {} where the fields go, in
 * order (fields past the last {} appear in JSON only); NULL for a JSON-only
 * event.  event is NULL for a line the book prints that says nothing a
 * script needs ("Waiting to accept a new connection"): no JSON object at
 * all.  With -q only "error" events are written, and only as JSON.  fields
 * ends with a field whose key is NULL.  Nothing is written until
 * out_flush().
 */
void	out_event(const char *event, const char *book, const struct of *fields);
#define OUT(event, book, ...)						\
	out_event((event), (book),					\
	    (const struct of[]){ __VA_ARGS__ __VA_OPT__(,) OF_END })
/* The end of a list of fields. */
#define OF_END	{ .key = NULL }

/*
 * A counter the book redraws with \r ("  32 bytes sent").  On a terminal it
 * is redrawn at most ten times a second; elsewhere only the final value is
 * printed, as the screen would end up showing it.  event NULL: book only.
 */
void	out_progress(const char *event, const char *book, const char *key,
	    long long n, int final);

/*
 * Write what is buffered: 0, or -1 with errno when stdout failed (EPIPE:
 * its reader went away), then and at every later call.  Never exits; what
 * is buffered is dropped on a failure.  Called before anything that may
 * block.
 */
int	out_flush(void);
/*
 * How long the oldest unwritten line has waited, in ms; -1 when none.  A
 * busy loop may hold its lines over a short wait (OUT_HOLD_MS, which a
 * kernel timer may round up to its tick), and write them once it would
 * wait longer or they are OUT_AGE_MS old: a flood then costs no write per
 * wake-up, and a reader still sees each line within about 10 ms.
 */
long long out_age_ms(void);
#define OUT_HOLD_MS	1
#define OUT_AGE_MS	10
/* Append raw text (help, man page, completion words). */
void	out_text(const char *s);
/* Leave a redrawn counter's line, so the next output starts a new one. */
void	out_end_progress(void);

#endif
