#!/usr/bin/env python3
"""A UDP server that answers from the wrong address, on purpose.

    elsewhere.py LISTEN_ADDR REPLY_ADDR [-p PORT] [--deadline SECS]

It listens on (LISTEN_ADDR, PORT) and answers each datagram with the book's
"Your data was N bytes long", but from (REPLY_ADDR, PORT): what a server
bound to every address of a host with several does when the route back
prefers another source.  It prints the book's "Listening at" line (so
start_server reads the port) and one line per answer sent.
"""
import argparse
import socket
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('listen')
    ap.add_argument('reply')
    ap.add_argument('-p', '--port', type=int, default=0)
    ap.add_argument('--deadline', type=float, default=60.0)
    a = ap.parse_args()
    family = socket.getaddrinfo(a.listen, 0)[0][0]
    rx = socket.socket(family, socket.SOCK_DGRAM)
    rx.bind((a.listen, a.port))
    port = rx.getsockname()[1]
    tx = socket.socket(family, socket.SOCK_DGRAM)
    tx.bind((a.reply, port))
    print('Listening at', rx.getsockname(), flush=True)
    end = time.monotonic() + a.deadline
    while time.monotonic() < end:
        rx.settimeout(max(0.01, end - time.monotonic()))
        try:
            data, peer = rx.recvfrom(65535)
        except socket.timeout:
            break
        tx.sendto(b'Your data was %d bytes long' % len(data), peer)
        print('Answered', peer, 'from', tx.getsockname(), flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
