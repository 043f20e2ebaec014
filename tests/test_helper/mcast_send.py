#!/usr/bin/env python3
"""mcast_send.py: one datagram to a multicast group, and every answer.

    mcast_send.py GROUP PORT --source ADDR --iface NAME [--wait SECS]
                  [--message TEXT]

Sends TEXT (default 'hello members') once to GROUP:PORT from ADDR (bound,
port 0) out of the interface NAME, hop limit 1, then collects every
datagram that comes back within SECS (default 1.0) and prints one line per
answer, sorted: the answering host (as Python prints it, link-local ones
with their zone) and the text it sent.  A group member that answers from
its own unicast address shows up as that address; one that answered from
the group itself could not (no datagram comes from a group).  Exits 0
whatever came, so the test judges the lines.
"""
import argparse
import socket
import struct
import sys
import time


def main():
    p = argparse.ArgumentParser()
    p.add_argument('group')
    p.add_argument('port', type=int)
    p.add_argument('--source', required=True)
    p.add_argument('--iface', required=True)
    p.add_argument('--wait', type=float, default=1.0)
    p.add_argument('--message', default='hello members')
    a = p.parse_args()
    v6 = ':' in a.group
    s = socket.socket(socket.AF_INET6 if v6 else socket.AF_INET,
                      socket.SOCK_DGRAM)
    index = socket.if_nametoindex(a.iface)
    if v6:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, index)
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 1)
        s.bind((a.source, 0, 0, index if a.source.startswith('fe80')
                else 0))
        s.sendto(a.message.encode(), (a.group, a.port, 0, index))
    else:
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF,
                     struct.pack('4sl', socket.inet_aton(a.source), 0)[:4])
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
        s.bind((a.source, 0))
        s.sendto(a.message.encode(), (a.group, a.port))
    answers = []
    end = time.monotonic() + a.wait
    while True:
        left = end - time.monotonic()
        if left <= 0:
            break
        s.settimeout(left)
        try:
            data, peer = s.recvfrom(65535)
        except socket.timeout:
            break
        answers.append('%s %s' % (peer[0], data.decode('ascii', 'replace')))
    for line in sorted(answers):
        print(line)
    return 0


if __name__ == '__main__':
    sys.exit(main())
