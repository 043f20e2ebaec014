#!/usr/bin/env python3
"""A UDP responder for udp-client's group and broadcast tests.

    member.py [--group GROUP --iface IFACE] [--bind ADDR] [-p PORT]
              [--answers N] [--echo [--swap]] [--deadline SECS]

It binds (ADDR, PORT) (default: every address of the group's family),
joins GROUP on IFACE when given (a member; without --group it answers what
reaches its port: broadcasts, unicast), and answers each datagram with the
book's "Your data was N bytes long", unicast from its own address.  After
N answers (--answers) it stays, silent: a member that does not answer
again.  --echo answers with the datagram itself, as an echo server does;
--swap holds each odd datagram until the next one is answered, so that
answers come back in the other order.  It prints the book's "Listening
at" line, so start_server reads the port, and a line per answer.
"""
import argparse
import socket
import struct
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--group')
    ap.add_argument('--iface')
    ap.add_argument('--bind')
    ap.add_argument('-p', '--port', type=int, default=0)
    ap.add_argument('--answers', type=int, default=-1)
    ap.add_argument('--echo', action='store_true')
    ap.add_argument('--swap', action='store_true')
    ap.add_argument('--deadline', type=float, default=60.0)
    a = ap.parse_args()
    v6 = ':' in (a.group or a.bind or '')
    family = socket.AF_INET6 if v6 else socket.AF_INET
    s = socket.socket(family, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((a.bind or ('::' if v6 else '0.0.0.0'), a.port))
    if a.group:
        idx = socket.if_nametoindex(a.iface)
        group = socket.inet_pton(family, a.group)
        if v6:
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP,
                         group + struct.pack('@I', idx))
        else:
            s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
                         group + struct.pack('@4si', b'\0' * 4, idx))
    print('Listening at', s.getsockname(), flush=True)
    end = time.monotonic() + a.deadline
    left = a.answers
    held = None
    while time.monotonic() < end:
        s.settimeout(max(0.01, end - time.monotonic()))
        try:
            data, peer = s.recvfrom(65535)
        except socket.timeout:
            break
        if left == 0:
            print('Silent to', peer, flush=True)
            continue
        left -= 1
        answer = data if a.echo else b'Your data was %d bytes long' % len(data)
        if a.swap and held is None:
            held = answer
            continue
        s.sendto(answer, peer)
        if held is not None:
            s.sendto(held, peer)
            held = None
        print('Answered', peer, flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
