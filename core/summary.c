/* What a udp-client run comes to: ping's figures, and what no answer means. */
#include <stdio.h>

#include "aim.h"
#include "dgram.h"
#include "hist.h"
#include "load.h"
#include "repr.h"
#include "series.h"
#include "summary.h"

void
summary_figures(const struct series_stats *st, long long since_ns,
    struct summary_figures *f)
{
	long long bad = st->lost + st->errors, all = bad + st->received;

	f->seconds = load_round((double)(st->end_ns - since_ns) / 1e9, 1000);
	f->loss = all ? load_round(100.0 * (double)bad / (double)all, 10) : 0;
	f->min_ms = load_round(hist_min_us(&st->rtt) / 1000, 1000);
	f->avg_ms = load_round(hist_mean_us(&st->rtt) / 1000, 1000);
	f->max_ms = load_round(hist_max_us(&st->rtt) / 1000, 1000);
	f->mdev_ms = load_round(hist_mdev_us(&st->rtt) / 1000, 1000);
}

const char *
summary_silence(const struct series *s, char *buf, size_t cap)
{
	const struct sockaddr *to = (const struct sockaddr *)&s->d->to;
	char where[REPR_ADDR_MAX];

	repr_addr(where, sizeof(where), to);
	if (s->collect && aim_is_multicast(to))
		snprintf(buf, cap, "no member of the group %s answered within "
		    "the %g-second wait; are servers joined to it on this "
		    "link, and does --ttl reach them?", where, s->wait);
	else if (s->collect)
		snprintf(buf, cap, "nothing on the network of %s answered "
		    "within the %g-second wait; do servers listen on that "
		    "port?", where, s->wait);
	else if (s->count == 1)
		snprintf(buf, cap, "no reply from %s to the request; is a "
		    "server running there, and does a firewall let UDP "
		    "through?", where);
	else if (s->count)
		snprintf(buf, cap, "no reply from %s to any of %lld requests; "
		    "is a server running there, and does a firewall let UDP "
		    "through?", where, s->count);
	else if (s->attempt == 1 && s->waited == 1)
		snprintf(buf, cap, "no reply from %s in 1 try over 1 second; "
		    "is a server running there, and does a firewall let UDP "
		    "through?", where);
	else if (s->attempt == 1)
		snprintf(buf, cap, "no reply from %s in 1 try over %g "
		    "seconds; is a server running there, and does a firewall "
		    "let UDP through?", where, s->waited);
	else
		snprintf(buf, cap, "no reply from %s in %d tries over %g "
		    "seconds; is a server running there, and does a firewall "
		    "let UDP through?", where, s->attempt, s->waited);
	return buf;
}
