#!/usr/bin/env python3
"""The least of a multicast router, for udp-client's --ttl test.

    mrouted.py IN_IFACE OUT_IFACE ORIGIN GROUP [--deadline SECS]

Linux forwards multicast only along the routes a routing daemon installs
(MRT_INIT on a raw IGMP socket, held open).  This one installs a single
route: datagrams from ORIGIN to GROUP that arrive on IN_IFACE go out of
OUT_IFACE, as any multicast router does, when their TTL is above 1 (the
threshold every router applies: a TTL of 1 means "this link only").  It
prints "Routing" when the route is in, and holds it until the deadline or
a signal.
"""
import argparse
import signal
import socket
import struct
import sys
import time

MRT_INIT, MRT_ADD_VIF, MRT_ADD_MFC = 200, 202, 204
VIFF_USE_IFINDEX = 0x8
MAXVIFS = 32


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('iif')
    ap.add_argument('oif')
    ap.add_argument('origin')
    ap.add_argument('group')
    ap.add_argument('--deadline', type=float, default=60.0)
    a = ap.parse_args()
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_IGMP)
    s.setsockopt(socket.IPPROTO_IP, MRT_INIT, struct.pack('i', 1))
    for vif, name in enumerate((a.iif, a.oif)):
        # struct vifctl: vifi, flags, threshold, rate limit, ifindex, rmt.
        s.setsockopt(socket.IPPROTO_IP, MRT_ADD_VIF, struct.pack(
            '=HBBIi4s', vif, VIFF_USE_IFINDEX, 1, 0,
            socket.if_nametoindex(name), b'\0' * 4))
    ttls = bytearray(MAXVIFS)
    ttls[1] = 1
    # struct mfcctl: origin, group, parent vif, ttls, counters, expire.
    s.setsockopt(socket.IPPROTO_IP, MRT_ADD_MFC, struct.pack(
        '=4s4sH32s2xIIIi', socket.inet_aton(a.origin),
        socket.inet_aton(a.group), 0, bytes(ttls), 0, 0, 0, 0))
    print('Routing', a.origin, a.group, a.iif, '->', a.oif, flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    time.sleep(a.deadline)
    return 0


if __name__ == '__main__':
    sys.exit(main())
