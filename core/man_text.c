/* What netdemo(1) says that the tables cannot: JSON events and examples. */
#include <stddef.h>

#include "man.h"

/*
 * The JSON events, applet by applet, with their keys in order.  Events are
 * not in the option tables: tests/install.bats checks this list against
 * the OUT() and out_progress() calls in applets/, so the two cannot drift.
 */
const struct man_event man_events[] = {
	{ "udp-server", "listening", "address",
	    "bound and waiting for datagrams (one per address, and per "
	    "--join group)" },
	{ "udp-server", "drop", "from bytes",
	    "a datagram that --drop pretends to lose: no reply" },
	{ "udp-server", "datagram", "from data bytes", "a datagram arrived" },
	{ "udp-server", "reply", "to text",
	    "the reply sent back (JSON only)" },
	{ "udp-server", "limited", "to",
	    "a reply held back by the rate limit (JSON only)" },
	{ "udp-server", "summary", "datagrams replies dropped limited failed "
	    "status", "at exit: the totals, and the exit status" },
	{ "udp-client", "sockname", "address to",
	    "the client's own address, and the server's being tried" },
	{ "udp-client", "retry", "delay attempt to",
	    "waiting up to delay seconds for a reply" },
	{ "udp-client", "reply", "data from bytes seq rtt_ms",
	    "the server's reply; in a series, a group or a broadcast, also "
	    "the request's seq and the round trip in ms" },
	{ "udp-client", "late", "from data bytes",
	    "a series: an answer to no request that still waited" },
	{ "udp-client", "lost", "seq wait",
	    "a series: request seq had no answer within wait seconds" },
	{ "udp-client", "absent", "from seq wait",
	    "a group's series: from answered before, but not request seq" },
	{ "udp-client", "failed", "seq error",
	    "a series: an error (an ICMP message and its sender) answered "
	    "request seq" },
	{ "udp-client", "sent", "to address text",
	    "with --send-only: the datagram sent (JSON only)" },
	{ "udp-client", "flood", "to seconds window bytes",
	    "--flood: window requests of bytes each kept in flight" },
	{ "udp-client", "interval", "start end replies_per_s replies seconds "
	    "lost sent loss late copies in_flight drained refused errors odd "
	    "p50_us p99_us server rate_limit refused_from refused_until "
	    "received failed min_ms avg_ms max_ms mdev_ms",
	    "every --report seconds: the summary's fields for that interval "
	    "(--flood: from start to end, seconds into the run; a series: its "
	    "ping figures)" },
	{ "udp-client", "summary", "start end replies_per_s replies seconds "
	    "lost sent loss late copies in_flight drained refused errors odd "
	    "p50_us p99_us server rate_limit refused_from refused_until "
	    "received failed min_ms avg_ms max_ms mdev_ms responders",
	    "--flood: the rate, the requests never answered (loss in % of "
	    "those not in_flight), the answers that came twice (copies), the "
	    "round trip in us, the server (book or echo), the steady rate of a "
	    "server that seems to rate-limit; a series, a group, a broadcast: "
	    "ping's figures in ms, and who answered" },
	{ "tcp-server", "listening", "address",
	    "bound and waiting for connections (one per address)" },
	{ "tcp-server", "accept", "peer address",
	    "a connection came in; address is the local end" },
	{ "tcp-server", "message", "data peer",
	    "sixteen: the sixteen octets received" },
	{ "tcp-server", "close", "peer bytes reason",
	    "a connection was closed: done, eof, idle or error" },
	{ "tcp-server", "overflow", "peer max_clients",
	    "a connection past --max-clients was closed at once" },
	{ "tcp-server", "summary", "accepted served overflowed idle bytes "
	    "status", "at exit: the totals, and the exit status" },
	{ "tcp-client", "start", "bytes", "upper: about to send bytes" },
	{ "tcp-client", "connect", "address peer",
	    "connected, from address to peer" },
	{ "tcp-client", "sent", "bytes", "upper: all bytes sent" },
	{ "tcp-client", "first", "data",
	    "upper: the first data the server sent back" },
	{ "tcp-client", "received", "bytes", "upper: all bytes received" },
	{ "tcp-client", "reply", "data",
	    "sixteen: the server's sixteen octets" },
	{ "tcp-client", "repeat", "to count parallel",
	    "--repeat: count exchanges, parallel at once" },
	{ "tcp-client", "connection", "seq peer address us",
	    "--mode connect, and each connection of --repeat with -i: the "
	    "handshake (sixteen: connect() to the reply) took us" },
	{ "tcp-client", "interval", "start end connections_per_s done "
	    "seconds failed p50_us p99_us received mb_per_s sent",
	    "--repeat, --full-duplex: the summary's figures for the report "
	    "interval from start to end seconds (--report)" },
	{ "tcp-client", "summary", "connections_per_s done seconds failed "
	    "p50_us p99_us received mb_per_s sent", "--repeat: the rate, "
	    "and connect() to the reply (connect: the handshake) in us; "
	    "upper: the stream's rate" },
	{ "tcp-client", "stall", "seconds sent total received send_queue "
	    "recv_queue diagnosis", "--stall: no progress; what our buffers "
	    "hold, and deadlock, peer not reading or peer silent" },
	{ "mtu-probe", "sent", "to bytes",
	    "--once: the big datagram was sent (it never is)" },
	{ "mtu-probe", "unsent", "to bytes errno",
	    "--once: the big datagram was refused, with errno" },
	{ "mtu-probe", "mtu", "mtu", "--once: the path MTU the kernel knows" },
	{ "mtu-probe", "start", "to min max",
	    "probing the path MTU to a host, between min and max bytes" },
	{ "mtu-probe", "probe", "ip_bytes bytes",
	    "don't-fragment probes of ip_bytes from now on, bytes of them "
	    "UDP data" },
	{ "mtu-probe", "toobig", "mtu origin from ip_bytes",
	    "the ip_bytes probe does not fit: the next hop takes mtu, says "
	    "from, a router or this host (origin router or local)" },
	{ "mtu-probe", "refused", "from ip_bytes",
	    "ICMP port unreachable: the ip_bytes probe arrived" },
	{ "mtu-probe", "reply", "from data bytes ip_bytes",
	    "the server replied bytes (data: the first 64): the ip_bytes "
	    "probe arrived (0: it names none)" },
	{ "mtu-probe", "miss", "ip_bytes seconds",
	    "no answer to the ip_bytes probe in seconds" },
	{ "mtu-probe", "pmtu", "mtu bound",
	    "the path MTU; bound max: at least mtu (nothing larger was "
	    "probed), min: at most mtu (below --min), none: exactly" },
	{ "mtu-probe", "payload", "bytes",
	    "the largest UDP payload that fits the path, bounded as pmtu" },
	{ "mtu-probe", "evidence", "too_big_from fits_from too_big fits",
	    "why a byte more is too big (icmp, local, silence, max) and why "
	    "mtu fits (reply, port unreachable, none); the _from keys name "
	    "who said it, where someone did" },
	{ "mtu-probe", "done", "probes seconds",
	    "how many probes, and how long the search took" },
	{ NULL, "error", "message exception errno strerror icmp from hint "
	    "exit", "an error, also reported on standard error; exception, "
	    "errno and strerror where an errno comes with it; icmp and from "
	    "when an ICMP message said it (from: who sent it), from alone "
	    "when datagrams came from another address than the server's; "
	    "hint where one helps, exit when the applet stops: without it, a "
	    "warning" },
	{ NULL, NULL, NULL, NULL }
};

/*
 * The book's transcripts and a few an operator would run.  A line starting
 * with "$ " is typed; "#" starts the text that introduces an example.
 */
const char *const man_examples[] = {
	"#The book's first program, a server and a client on one machine, "
	"in two terminals:",
	"$ udp_local server",
	"Listening at ('127.0.0.1', 1060)",
	"The client at ('127.0.0.1', 43264) says "
	"'The time is 2026-11-21 10:34:53.448338'",
	"",
	"$ udp_local client",
	"The OS assigned me the address ('0.0.0.0', 43264)",
	"The server ('127.0.0.1', 1060) replied 'Your data was 38 bytes long'",
	"#Over a network, with a server that drops half the datagrams and "
	"a client that backs off:",
	"$ udp_remote server \"\"",
	"Listening at ('0.0.0.0', 1060)",
	"Pretending to drop packet from ('127.0.0.1', 45420)",
	"The client at ('127.0.0.1', 45420) says 'This is another message'",
	"",
	"$ udp_remote client 127.0.0.1",
	"Client socket name is ('127.0.0.1', 45420)",
	"Waiting up to 0.1 seconds for a reply",
	"Waiting up to 0.2 seconds for a reply",
	"The server says 'Your data was 23 bytes long'",
	"#Sixteen octets each way over TCP:",
	"$ tcp_sixteen server \"\"",
	"Listening at ('0.0.0.0', 1060)",
	"Waiting to accept a new connection",
	"We have accepted a connection from ('127.0.0.1', 57971)",
	"  Socket name: ('127.0.0.1', 1060)",
	"  Socket peer: ('127.0.0.1', 57971)",
	"  Incoming sixteen-octet message: b'Hi there, server'",
	"  Reply sent, socket closed",
	"Waiting to accept a new connection",
	"",
	"$ tcp_sixteen client 127.0.0.1",
	"Client has been assigned socket name ('127.0.0.1', 57971)",
	"The server said b'Farewell, client'",
	"#The upper-casing stream; with a bytecount of 1073741824 both sides "
	"stall, as the book shows:",
	"$ tcp_deadlock server \"\"",
	"Listening at ('0.0.0.0', 1060)",
	"Processing up to 1024 bytes at a time from ('127.0.0.1', 56894)",
	"  32 bytes processed so far",
	"  Socket closed",
	"",
	"$ tcp_deadlock client 127.0.0.1 32",
	"Sending 32 bytes of data, in chunks of 16 bytes",
	"  32 bytes sent",
	"Receiving all the data the server sends back",
	"  The first data received says b'CAPITALIZE THIS!CAPITALIZE THIS!'",
	"  32 bytes received",
	"#The cure for the deadlock: a client that reads while it sends.",
	"$ netdemo tcp-client --mode upper --full-duplex -n 1073741824 "
	"127.0.0.1",
	"#Does a TCP service answer, and how fast is its handshake (tcping)?",
	"$ netdemo tcp-client 10.0.2.2 -p 443 --mode connect --repeat 3 -i 1",
	"Connecting to ('10.0.2.2', 443) 3 times, 1 at a time",
	"  seq 1: connected from ('10.0.1.2', 40312) in 412.3 us",
	"  seq 2: connected from ('10.0.1.2', 40318) in 388.0 us",
	"  seq 3: connected from ('10.0.1.2', 40330) in 401.7 us",
	"  1 connection per second: 3 in 2.001 seconds, 0 failed",
	"  Handshake: p50 401.5 us, p99 413.7 us",
	"#One datagram larger than UDP allows, on the loopback interface:",
	"$ big_sender 127.0.0.1",
	"Alas, the datagram did not make it",
	"Actual MTU: 65536",
	"#When nothing listens; the status is 1:",
	"$ tcp_sixteen client 127.0.0.1",
	"tcp_sixteen: connect to ('127.0.0.1', 1060): ConnectionRefusedError: "
	"[Errno 111] Connection refused",
	"tcp_sixteen: hint: is a server running on that port?",
	"#For a script: a server on a port the system picks, and a client, "
	"in JSON:",
	"$ netdemo udp-server -p 0 --json",
	"{\"event\": \"listening\", \"address\": {\"host\": \"127.0.0.1\", "
	"\"port\": 46865}}",
	"{\"event\": \"datagram\", \"from\": {\"host\": \"127.0.0.1\", "
	"\"port\": 49641}, \"data\": \"ping\", \"base64\": false, "
	"\"bytes\": 4}",
	"",
	"$ netdemo udp client -p 46865 -m ping --json",
	"{\"event\": \"sockname\", \"address\": {\"host\": \"127.0.0.1\", "
	"\"port\": 49641}}",
	"{\"event\": \"retry\", \"delay\": 0.1}",
	"{\"event\": \"reply\", \"data\": \"Your data was 4 bytes long\", "
	"\"base64\": false, \"from\": {\"host\": \"127.0.0.1\", "
	"\"port\": 46865}}",
	"#The book's names as commands, in ~/bin:",
	"$ netdemo --install ~/bin",
	NULL
};
