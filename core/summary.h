/* What a udp-client run comes to: ping's figures, and what no answer means. */
#ifndef NETDEMO_SUMMARY_H
#define NETDEMO_SUMMARY_H

#include <stddef.h>

struct series;
struct series_stats;

/*
 * The figures of stats as people read them: seconds from since_ns to its
 * end (to the ms), lost and failed of what was decided in percent (to a
 * tenth; 0 when nothing was), round trips in ms (to the us; NaN: none).
 */
struct summary_figures {
	double		 seconds, loss, min_ms, avg_ms, max_ms, mdev_ms;
};
void	summary_figures(const struct series_stats *st, long long since_ns,
	    struct summary_figures *f);

/*
 * Why a run that had no answer may have had none, for the hint: how many
 * tries over how long (the book's backoff), requests, or the wait of a
 * group or broadcast.  Returns buf.
 */
const char *summary_silence(const struct series *s, char *buf, size_t cap);

#endif
