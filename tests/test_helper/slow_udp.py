#!/usr/bin/env python3
"""slow_udp.py: a UDP server that answers late, for mtu-probe's tests.

    slow_udp.py HOST PORT DELAY [LIFETIME]

Answers each datagram as netdemo's udp-server does ("Your data was N bytes
long"), but DELAY seconds after it came; datagrams that come meanwhile
wait their own turn, so a slow server is not a server that answers one
thing at a time.  Prints "Listening at ('HOST', PORT)" as netdemo does
(PORT 0: the one the system gave), and stops after LIFETIME seconds
(default 120) if nothing stops it before.
"""

import heapq
import itertools
import select
import socket
import sys
import time


def main():
    host, port, delay = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    life = float(sys.argv[4]) if len(sys.argv) > 4 else 120.0
    family = socket.getaddrinfo(host, port, type=socket.SOCK_DGRAM)[0][0]
    sock = socket.socket(family, socket.SOCK_DGRAM)
    sock.bind((host, port))
    print('Listening at', sock.getsockname(), flush=True)
    due, order = [], itertools.count()
    end = time.monotonic() + life
    while time.monotonic() < end:
        now = time.monotonic()
        wait = min(due[0][0] - now if due else 1.0, end - now)
        ready, _, _ = select.select([sock], [], [], max(wait, 0))
        if ready:
            data, addr = sock.recvfrom(65535)
            heapq.heappush(due, (time.monotonic() + delay, next(order),
                                 addr, len(data)))
        now = time.monotonic()
        while due and due[0][0] <= now:
            _, _, addr, n = heapq.heappop(due)
            sock.sendto(b'Your data was %d bytes long' % n, addr)


if __name__ == '__main__':
    main()
