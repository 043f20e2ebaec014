/* udp-client --flood's report: the start, each interval, the summary. */
#ifndef NETDEMO_FLOODREP_H
#define NETDEMO_FLOODREP_H

#include "flood.h"

/* What is about to be sent: a line, and the flood event. */
void	floodrep_start(const struct flood *u);

/*
 * struct flood's interval: a line like iperf3's, and an interval event
 * with the summary's fields for that interval.
 */
flood_interval_fn floodrep_interval;

/*
 * The end of a run flood_run() returned rc from (e filled when -1): the
 * summary, then the verdict, as an exit status (EXIT_OK) or through die():
 * 1 when the run failed or requests were refused or failed, 3 when
 * nothing came back or most requests were lost; 128 + the signal that
 * stopped it.
 */
int	floodrep_end(const struct flood *u, int rc, const struct net_err *e);

#endif
