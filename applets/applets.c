/* The registration table: the applets, then the book's programs. */
#include <stddef.h>

#include "../core/book.h"
#include "applets.h"

const struct applet *const applets[] = {
	&udp_server_applet,
	&udp_client_applet,
	&tcp_server_applet,
	&tcp_client_applet,
	&mtu_probe_applet,
	NULL
};

/*
 * Each book program is a native applet plus native options: the preset runs
 * before the user's own options, so anything given on the command line wins.
 */
static const char *const none[] = { NULL };
static const char *const udp_local_client[] = { "--promiscuous",
    "--backoff", "0", NULL };
static const char *const udp_remote_server[] = { "--drop", "0.5", NULL };
static const char *const udp_remote_client[] = { "--message",
    BOOK_REMOTE_TEXT, NULL };
static const char *const udp_broadcast_server[] = { "--no-reply", NULL };
static const char *const udp_broadcast_client[] = { "--broadcast",
    "--send-only", NULL };
static const char *const big_sender[] = { "--once", NULL };
static const char *const tcp_sixteen_server[] = { "--mode", "sixteen",
    "--idle", "0", NULL };
static const char *const tcp_sixteen_client[] = { "--mode", "sixteen",
    "--stall", "0", "--report", "0", NULL };
static const char *const tcp_deadlock_server[] = { "--mode", "upper",
    "--idle", "0", NULL };
static const char *const tcp_deadlock_client[] = { "--mode", "upper",
    "--stall", "0", "--report", "0", NULL };

const struct alias aliases[] = {
	{ "udp_local", "{client,server} [-p PORT]",
	    "UDP client and server on localhost (book, chapter 2).",
	    &udp_server_applet, none, &udp_client_applet, udp_local_client,
	    0, 0 },
	{ "udp_remote", "{client,server} host [-p PORT]",
	    "UDP client and server for talking over the network: the server "
	    "drops half the\ndatagrams, the client backs off (book, chapter 2).",
	    &udp_server_applet, udp_remote_server, &udp_client_applet,
	    udp_remote_client, 1, 1 },
	{ "udp_broadcast", "{client,server} host [-p PORT]",
	    "UDP client and server for broadcast messages on a local LAN "
	    "(book, chapter 2).",
	    &udp_server_applet, udp_broadcast_server, &udp_client_applet,
	    udp_broadcast_client, 1, 1 },
	{ "big_sender", "host [-p PORT]",
	    "Send a big UDP datagram to learn the MTU of the network path "
	    "(book, chapter 2).",
	    &mtu_probe_applet, big_sender, NULL, NULL, 1, 1 },
	{ "tcp_sixteen", "{client,server} host [-p PORT]",
	    "Simple TCP client and server that send and receive 16 octets "
	    "(book, chapter 3).",
	    &tcp_server_applet, tcp_sixteen_server, &tcp_client_applet,
	    tcp_sixteen_client, 1, 1 },
	{ "tcp_deadlock", "{client,server} host [bytecount] [-p PORT]",
	    "TCP client and server that leave too much data waiting "
	    "(book, chapter 3).",
	    &tcp_server_applet, tcp_deadlock_server, &tcp_client_applet,
	    tcp_deadlock_client, 1, 2 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0 }
};
