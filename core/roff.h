/* A small roff(7) writer: escapes, refilled prose, requests and fonts. */
#ifndef NETDEMO_ROFF_H
#define NETDEMO_ROFF_H

#include <stddef.h>

/* Bytes on the output line so far; 0 at the start of a line. */
size_t	roff_col(void);
/* Text written as is: requests, font escapes. */
void	roff_raw(const char *s);
/*
 * Text escaped for roff.  code: as typed (every '-' a minus sign, lines kept);
 * else prose, refilled to 78 bytes with each sentence on a new line.
 */
void	roff_text(const char *s, int code);
/* A request on a line of its own: roff_req("SH NAME"). */
void	roff_req(const char *r);
/* A line of prose. */
void	roff_line(const char *s);
/* Code in a font ("\\fB", "\\fI"), then roman again. */
void	roff_font(const char *f, const char *s);
/* Help text as a sentence: capital first, full stop last. */
void	roff_sentence(const char *s);

#endif
