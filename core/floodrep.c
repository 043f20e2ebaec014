/* udp-client --flood's report: the start, each interval, the summary. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "floodrep.h"
#include "load.h"
#include "net.h"
#include "neterr.h"
#include "out.h"
#include "repr.h"

/* A tally's figures as people and scripts see them, rounded alike. */
struct figures {
	double		 start, end;	/* seconds into the run */
	double		 seconds;	/* end - start, or the measured run */
	long long	 rate;		/* replies a second */
	long long	 resolved;	/* requests that had their chance */
	long long	 lost;		/* of them, not answered */
	double		 loss;		/* % of resolved lost; NaN: none */
	double		 p50, p99;	/* round trip in us; NaN: no reply */
	const char	*server;	/* "book", "echo" or "none" */
	double		 rate_limit;	/* a steady rate while most were lost */
	double		 refused_from, refused_until;	/* s; NaN: none */
};

/* ns into the run as seconds, to the millisecond; NaN for none (< 0). */
static double
secs_at(long long ns)
{
	return ns < 0 ? NAN : load_round((double)ns / 1e9, 1000);
}

/* The requests that had their chance to come back: all but in flight. */
static long long
resolved(const struct flood_tally *t)
{
	return t->replies + t->drained + t->timed_out + t->refused + t->errors;
}

/*
 * Whether most requests were lost: more than half of those that had their
 * chance went unanswered, by more than chance explains (twice the square
 * root of their number: four standard deviations of a fair coin's count),
 * so that a server dropping half on purpose (udp_remote) does not pass
 * for a broken path now and then.
 */
static int
most_lost(const struct flood_tally *t)
{
	double n = (double)resolved(t);

	return n > 0 && (double)(t->timed_out - t->late) > n / 2 + 2 * sqrt(n);
}

/* Which server the answers came from, by their kind. */
static const char *
server_kind(const struct flood_tally *t)
{
	if (t->book == 0 && t->echo == 0)
		return "none";
	return t->echo > t->book ? "echo" : "book";
}

/*
 * The figures of t, from and to ns into the run.  An interval's lost are
 * the requests that timed out in it, as far as it can tell; the whole
 * run's, those that were never answered, late or not.
 */
static void
figures(struct figures *f, const struct flood_tally *t, long long from,
    long long to, int whole)
{
	f->start = secs_at(from);
	f->end = secs_at(to);
	load_figures(to - from, t->replies, &t->rtt, &f->rate, &f->seconds,
	    &f->p50, &f->p99);
	f->resolved = resolved(t);
	/* Each late answer is to a request that timed out, and only one. */
	f->lost = whole ? t->timed_out - t->late : t->timed_out;
	f->loss = f->resolved ? load_round(100.0 * (double)f->lost /
	    (double)f->resolved, 100) : NAN;
	f->server = server_kind(t);
	f->rate_limit = NAN;
	f->refused_from = secs_at(t->refused_from);
	f->refused_until = secs_at(t->refused_until);
}

/* The summary event, or an interval's: the same fields. */
static void
tally_event(int summary, const struct flood_tally *t,
    const struct figures *f)
{
	const struct of fields[] = {
		OF_REAL("start", f->start), OF_REAL("end", f->end),
		OF_INT("replies_per_s", f->rate),
		OF_INT("replies", t->replies), OF_REAL("seconds", f->seconds),
		OF_INT("lost", f->lost), OF_INT("sent", t->sent),
		OF_MEASURE("loss", f->loss), OF_INT("late", t->late),
		OF_INT("copies", t->copies),
		OF_INT("in_flight", t->in_flight),
		OF_INT("drained", t->drained), OF_INT("refused", t->refused),
		OF_INT("errors", t->errors), OF_INT("odd", t->odd),
		OF_MEASURE("p50_us", f->p50), OF_MEASURE("p99_us", f->p99),
		OF_STR("server", f->server),
		OF_MEASURE("rate_limit", f->rate_limit),
		OF_MEASURE("refused_from", f->refused_from),
		OF_MEASURE("refused_until", f->refused_until),
		OF_END
	};

	out_event(summary ? "summary" : "interval", NULL, fields);
}

void
floodrep_start(const struct flood *u)
{
	const char *line = u->window == 1 ?
	    "Flooding {} for {} seconds, {} datagram in flight" :
	    "Flooding {} for {} seconds, {} datagrams in flight";

	OUT("flood", line, OF_ADDR("to", u->to), OF_REAL("seconds", u->secs),
	    OF_INT("window", u->window), OF_INT("bytes", (long long)u->len));
}

void
floodrep_interval(const struct flood *u, const struct flood_tally *t,
    long long from, long long to)
{
	/* Columns as wide as the run's end, like iperf3's. */
	int w = snprintf(NULL, 0, "%.1f", u->secs);
	char a[32], b[32], rate[32];
	struct figures f;

	figures(&f, t, from, to, 0);
	snprintf(a, sizeof(a), "%*.1f", w, (double)from / 1e9);
	snprintf(b, sizeof(b), "%*.1f", w, (double)to / 1e9);
	snprintf(rate, sizeof(rate), "%6lld", f.rate);
	if (t->refused)
		OUT(NULL, "  {}-{} s: {} replies/s, {} lost ({}%), {} refused, "
		    "p50 {} us", OF_STR("start", a), OF_STR("end", b),
		    OF_STR("replies_per_s", rate), OF_INT("lost", f.lost),
		    OF_MEASURE("loss", f.loss), OF_INT("refused", t->refused),
		    OF_MEASURE("p50_us", f.p50));
	else
		OUT(NULL, "  {}-{} s: {} replies/s, {} lost ({}%), p50 {} us",
		    OF_STR("start", a), OF_STR("end", b),
		    OF_STR("replies_per_s", rate), OF_INT("lost", f.lost),
		    OF_MEASURE("loss", f.loss), OF_MEASURE("p50_us", f.p50));
	tally_event(0, t, &f);
}

/* The summary's lines for people. */
static void
summary_lines(const struct flood_tally *t, const struct figures *f)
{
	int echo = strcmp(f->server, "echo") == 0;
	const char *line = strcmp(f->server, "none") == 0 ?
	    "  {} replies/s: {} answered in {} seconds" : echo ?
	    "  {} replies/s from an echo server: {} answered in {} seconds" :
	    "  {} replies/s from the book's server: {} answered in {} seconds";

	OUT(NULL, line, OF_INT("replies_per_s", f->rate),
	    OF_INT("replies", t->replies), OF_REAL("seconds", f->seconds));
	OUT(NULL, "  {} of {} lost ({}%), {} answered late, {} still in flight "
	    "(not counted)\n  Round trip: p50 {} us, p99 {} us",
	    OF_INT("lost", f->lost), OF_INT("resolved", f->resolved),
	    OF_MEASURE("loss", f->loss), OF_INT("late", t->late),
	    OF_INT("in_flight", t->in_flight), OF_MEASURE("p50_us", f->p50),
	    OF_MEASURE("p99_us", f->p99));
	if (t->copies)
		OUT(NULL, "  Replies that came twice, counted once: {}",
		    OF_INT("copies", t->copies));
	if (t->odd)
		OUT(NULL, "  Odd replies, neither the book's nor echoes: {}",
		    OF_INT("odd", t->odd));
	if (t->refused)
		OUT(NULL, "  {} refused (ICMP port unreachable), from {} to {} "
		    "s into the run", OF_INT("refused", t->refused),
		    OF_MEASURE("refused_from", f->refused_from),
		    OF_MEASURE("refused_until", f->refused_until));
	if (t->errors)
		OUT(NULL, "  Errors the system reported: {}",
		    OF_INT("errors", t->errors));
	if (isnan(f->rate_limit))
		return;
	OUT(NULL, echo ? "  The server, or the path, seems to rate-limit: a "
	    "steady {} replies/s while most requests were lost" :
	    "  The server seems to rate-limit: a steady {} replies/s while "
	    "most requests were lost (a udp-server bound beyond loopback "
	    "does: see udp-server --rate-limit)",
	    OF_INT("rate_limit", (long long)f->rate_limit));
}

int
floodrep_end(const struct flood *u, int rc, const struct net_err *e)
{
	const struct flood_tally *t = &u->all;
	char where[REPR_ADDR_MAX], secs[40];
	struct figures f;

	figures(&f, t, 0, u->ran_ns, 1);
	if (most_lost(t))
		f.rate_limit = cadence_rate(&u->pace, u->ran_ns);
	if (t->sent > 0) {
		summary_lines(t, &f);
		tally_event(1, t, &f);
	}
	if (rc < 0)
		neterr_die(e);
	err_check_signal();
	repr_addr(where, sizeof(where), u->to);
	if (t->refused) {
		/* The errno's own hint fits when nothing ever answered. */
		repr_float(secs, sizeof(secs), f.refused_from);
		if (t->replies + t->drained > 0)
			err_set_hint("%lld requests were refused, the first %s "
			    "seconds into the run: did the server stop?",
			    t->refused, secs);
		die(EXIT_SYSTEM, ECONNREFUSED, "recv from %s", where);
	}
	if (t->errors)
		die(EXIT_SYSTEM, u->last_err, "recv from %s", where);
	repr_float(secs, sizeof(secs), u->secs);
	if (t->replies + t->drained == 0) {
		err_set_hint("is a server running there, and does a firewall "
		    "let UDP through?");
		die(EXIT_GAVE_UP, 0, "no reply in %s seconds: I think the "
		    "server is down", secs);
	}
	if (!most_lost(t))
		return EXIT_OK;
	if (!isnan(f.rate_limit))
		err_set_hint(strcmp(f.server, "echo") == 0 ? "the replies came "
		    "at a steady %.0f a second: the server, or the path, seems "
		    "to rate-limit" : "the replies came at a steady %.0f a "
		    "second: the server seems to rate-limit (a udp-server bound "
		    "beyond loopback answers each source 10 times a second: see "
		    "udp-server --rate-limit)", f.rate_limit);
	else
		err_set_hint("the path or the server drops most datagrams: a "
		    "firewall, a congested link, or a server that drops on "
		    "purpose (udp-server --drop)");
	die(EXIT_GAVE_UP, 0, "most requests were lost: %lld of %lld (%.1f%%) "
	    "went unanswered", f.lost, f.resolved, f.loss);
}
