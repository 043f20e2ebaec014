/* A small roff(7) writer: escapes, refilled prose, requests and fonts. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "out.h"
#include "roff.h"

/* Bytes on the output line so far: 0 is the start, where '.' is a request. */
static size_t col;

size_t
roff_col(void)
{
	return col;
}

void
roff_raw(const char *s)
{
	const char *nl = strrchr(s, '\n');

	out_text(s);
	col = nl ? strlen(nl + 1) : col + strlen(s);
}

/*
 * A character as roff reads it.  In code every '-' is a minus sign (what
 * one types); in prose only a '-' that starts a word is (--once, -2), so
 * hyphenated words stay hyphens.  Quotes stay ASCII for copy and paste.
 */
static const char *
roff_char(const char *s, const char *p, int code, char one[2])
{
	switch (*p) {
	case '\\':
		return "\\e";
	case '\'':
		return "\\(aq";
	case '`':
		return "\\(ga";
	case '-':
		if (code || p == s || strchr(" \n([{,/=|-", p[-1]))
			return "\\-";
		break;
	}
	one[0] = *p;
	one[1] = '\0';
	return one;
}

/*
 * Text as roff reads it.  Prose is refilled: source lines stay within 78
 * bytes and each sentence starts a line, as roff wants; code is kept as is.
 */
void
roff_text(const char *s, int code)
{
	char one[2];

	for (const char *p = s; *p; p++) {
		if (!code && (*p == ' ' || *p == '\n')) {
			const char *w = p + strspn(p, " \n");
			size_t len = 0;

			if (*w == '\0')
				break;
			for (const char *q = w; *q && *q != ' ' && *q != '\n';
			    q++)
				len += strlen(roff_char(s, q, 0, one));
			if (col + 1 + len > 78 || (p > s &&
			    strchr(".?!", p[-1]) && isupper((unsigned char)*w)))
				roff_raw("\n");
			else
				roff_raw(" ");
			p = w - 1;
			continue;
		}
		if (col == 0 && (*p == '.' || *p == '\''))
			roff_raw("\\&");
		roff_raw(roff_char(s, p, code, one));
	}
}

/* A request on a line of its own: ".SH", ".TP". */
void
roff_req(const char *r)
{
	if (col)
		roff_raw("\n");
	roff_raw(".");
	roff_raw(r);
	roff_raw("\n");
}

/* A line of prose. */
void
roff_line(const char *s)
{
	if (col)
		roff_raw("\n");
	roff_text(s, 0);
	roff_raw("\n");
}

/* Text in a font: bold code or italic metavariable, then roman again. */
void
roff_font(const char *f, const char *s)
{
	roff_raw(f);
	roff_text(s, 1);
	roff_raw("\\fR");
}

/* Help text as a sentence: capital first, full stop last. */
void
roff_sentence(const char *s)
{
	char buf[256];
	size_t n = (size_t)snprintf(buf, sizeof(buf), "%s", s);

	buf[0] = (char)toupper((unsigned char)buf[0]);
	if (n > 0 && n < sizeof(buf) - 1 && buf[n - 1] != '.')
		memcpy(buf + n, ".", 2);
	roff_line(buf);
}

