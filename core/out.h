/* Events rendered as the book's lines or as JSON, through one buffer. */
#ifndef NETDEMO_OUT_H
#define NETDEMO_OUT_H

#include <netinet/in.h>
#include <stddef.h>
#include <sys/socket.h>

/*
 * One field of an event: its key, how it is shown, and its value.  A field
 * is made by one of the OF_*() constructors below, each of which takes its
 * value as a typed member, so a value of the wrong type does not build:
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

/*
 * The field constructors.  Each is a compound literal that puts its value
 * straight into the union member of its type, so the value converts only
 * as assigning it would: a pointer for a number or a number for a pointer
 * does not build.  OF_ADDR() takes any of the socket address structs a
 * program holds, and nothing else; OF_INT() takes integers only (a double
 * or a pointer does not build).
 */
#define OF_FIELD(k, kind, ...)	((struct of){ (k), &(kind), { __VA_ARGS__ } })

/* A socket address: Python's tuple; {"host": ..., "port": ...}. */
#define OF_ADDR(k, a)	OF_FIELD((k), of_addr_kind, .addr = _Generic((a), \
	struct sockaddr *: (const struct sockaddr *)(a),		\
	const struct sockaddr *: (const struct sockaddr *)(a),		\
	struct sockaddr_in *: (const struct sockaddr *)(a),		\
	const struct sockaddr_in *: (const struct sockaddr *)(a),	\
	struct sockaddr_in6 *: (const struct sockaddr *)(a),		\
	const struct sockaddr_in6 *: (const struct sockaddr *)(a),	\
	struct sockaddr_storage *: (const struct sockaddr *)(a),	\
	const struct sockaddr_storage *: (const struct sockaddr *)(a)))

/*
 * n socket addresses, an array of struct sockaddr_storage and nothing
 * else: a Python list of tuples; a JSON array of {"host": ..., "port": ...}.
 */
#define OF_ADDRS(k, a, n)	OF_FIELD((k), of_addrs_kind,		\
	.data = { _Generic((a), struct sockaddr_storage *: (a),		\
	const struct sockaddr_storage *: (a)), (n) })

/*
 * Received data: Python's str repr when it is ASCII, else bytes; JSON text,
 * or base64 when it is not ASCII (with "base64": true or false).
 */
#define OF_TEXT(k, p, n)						\
	OF_FIELD((k), of_text_kind, .data = { (p), (n) })

/* Data always shown as a bytes repr (b'...'); in JSON as OF_TEXT(). */
#define OF_BYTES(k, p, n)						\
	OF_FIELD((k), of_bytes_kind, .data = { (p), (n) })

/* A C string, shown as it is; a JSON string. */
#define OF_STR(k, x)		OF_FIELD((k), of_str_kind, .s = (x))

/* A C string shown as Python's str repr ('...'); a JSON string. */
#define OF_REPR(k, x)		OF_FIELD((k), of_repr_kind, .s = (x))

#define OF_INT(k, x)	OF_FIELD((k), of_int_kind, .i = _Generic((x),	\
	_Bool: (x), char: (x), signed char: (x), unsigned char: (x),	\
	short: (x), unsigned short: (x), int: (x), unsigned: (x),	\
	long: (x), unsigned long: (x), long long: (x),			\
	unsigned long long: (x)))

/* A float, shown as Python's repr (0.1, 2.0); inf and nan: JSON null. */
#define OF_REAL(k, x)		OF_FIELD((k), of_real_kind, .d = (x))

/* A measured figure: as OF_REAL(), but NaN (no samples) is "n/a", null. */
#define OF_MEASURE(k, x)	OF_FIELD((k), of_measure_kind, .d = (x))

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
