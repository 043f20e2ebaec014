/* soakload: the load for tests/soak.sh, many datagrams or connections. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/*
 * usage: soakload udp PORT COUNT
 *        soakload tcp PORT COUNT
 * udp: COUNT datagrams to 127.0.0.1:PORT, at most WINDOW unanswered at a
 * time (a lost one is written off after 200 ms), so the server's queue
 * never overflows; prints how many replies came back.
 * tcp: COUNT sixteen-octet exchanges, CONC connections at a time; prints
 * how many got "Farewell, client" back.
 * Progress goes to stdout every tenth of COUNT, "at N", so the caller can
 * sample the server on the way.  Exit 0 when every operation succeeded
 * (UDP: at most 0.1 % lost), 1 otherwise.
 */

#define WINDOW		64
#define CONC		8

/* A progress line every tenth of the count. */
static long	 step;

static double
now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static struct sockaddr_in
server(int port)
{
	struct sockaddr_in sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((unsigned short)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return sin;
}

static void
progress(long done, long *next)
{
	if (done >= *next) {
		printf("at %ld\n", done);
		fflush(stdout);
		*next += step;
	}
}

static int
udp(int port, long count)
{
	struct sockaddr_in sin = server(port);
	long sent = 0, replies = 0, next = step;
	int fd = socket(AF_INET, SOCK_DGRAM, 0), inflight = 0;
	char msg[32] = "soak datagram, 32 bytes long...";
	char buf[128];

	if (fd < 0 || connect(fd, (void *)&sin, sizeof(sin)) < 0) {
		perror("soakload: udp socket");
		return 1;
	}
	while (sent < count || inflight > 0) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int r;

		while (sent < count && inflight < WINDOW) {
			if (send(fd, msg, sizeof(msg), 0) < 0) {
				if (errno == EINTR || errno == ENOBUFS)
					continue;
				perror("soakload: send");
				return 1;
			}
			sent++;
			inflight++;
		}
		r = poll(&p, 1, 200);
		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0) {
			/* Whatever is still out there is lost. */
			inflight = 0;
			continue;
		}
		while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) > 0) {
			replies++;
			if (inflight > 0)
				inflight--;
			progress(replies, &next);
		}
	}
	printf("udp: %ld datagrams sent, %ld replies\n", sent, replies);
	return count - replies <= count / 1000 ? 0 : 1;
}

/* One connection's state in the TCP loop. */
struct conn {
	int		 fd;
	size_t		 got;
	char		 reply[16];
};

static int
tcp_start(struct conn *c, const struct sockaddr_in *sin)
{
	c->got = 0;
	c->fd = socket(AF_INET, SOCK_STREAM, 0);
	if (c->fd < 0 || connect(c->fd, (const void *)sin, sizeof(*sin)) < 0 ||
	    send(c->fd, "Hi there, server", 16, MSG_NOSIGNAL) != 16) {
		perror("soakload: connect and send");
		if (c->fd >= 0)
			close(c->fd);
		c->fd = -1;
		return -1;
	}
	return 0;
}

static int
tcp(int port, long count)
{
	struct sockaddr_in sin = server(port);
	struct conn c[CONC];
	struct pollfd p[CONC];
	long started = 0, ok = 0, failed = 0, next = step;

	for (int i = 0; i < CONC; i++) {
		c[i].fd = -1;
		if (started < count) {
			started++;
			if (tcp_start(&c[i], &sin) < 0)
				failed++;
		}
	}
	for (;;) {
		int n = 0, live = 0;

		for (int i = 0; i < CONC; i++) {
			p[i].fd = c[i].fd;
			p[i].events = POLLIN;
			live += c[i].fd >= 0;
		}
		if (!live)
			break;
		n = poll(p, CONC, 5000);
		if (n == 0) {
			fprintf(stderr, "soakload: no answer in 5 s\n");
			return 1;
		}
		for (int i = 0; i < CONC && n > 0; i++) {
			ssize_t r;

			if (c[i].fd < 0 || !p[i].revents)
				continue;
			r = recv(c[i].fd, c[i].reply + c[i].got,
			    c[i].got < 16 ? 16 - c[i].got : 1, 0);
			if (r > 0 && c[i].got < 16) {
				c[i].got += (size_t)r;
				continue;
			}
			/* EOF (or an error) after the reply: next client. */
			if (c[i].got == 16 &&
			    memcmp(c[i].reply, "Farewell, client", 16) == 0)
				ok++;
			else
				failed++;
			close(c[i].fd);
			c[i].fd = -1;
			progress(ok, &next);
			if (started < count) {
				started++;
				if (tcp_start(&c[i], &sin) < 0)
					failed++;
			}
		}
	}
	printf("tcp: %ld connections, %ld answered, %ld failed\n", started, ok,
	    failed);
	return failed == 0 && ok == count ? 0 : 1;
}

int
main(int argc, char **argv)
{
	double t0 = now();
	int rc;

	if (argc != 4 || (strcmp(argv[1], "udp") && strcmp(argv[1], "tcp"))) {
		fprintf(stderr, "usage: soakload udp|tcp PORT COUNT\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	step = atol(argv[3]) / 10 > 0 ? atol(argv[3]) / 10 : 1;
	if (strcmp(argv[1], "udp") == 0)
		rc = udp(atoi(argv[2]), atol(argv[3]));
	else
		rc = tcp(atoi(argv[2]), atol(argv[3]));
	printf("%s: %.1f s\n", argv[1], now() - t0);
	return rc;
}
