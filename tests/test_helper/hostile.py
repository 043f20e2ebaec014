#!/usr/bin/env python3
"""Hostile peers for tests/robust.bats: what a server must survive.

Each subcommand misbehaves in one way against a server on 127.0.0.1 (or
::1) and exits 0 when it did what it meant to do; whether the server
survived is for the test to check.  Every subcommand is bounded by
--deadline (exit 124 past it), so a peer can never hang a test.
"""

import argparse
import os
import resource
import select
import signal
import socket
import struct
import sys
import time


def family_of(host):
    return socket.AF_INET6 if ':' in host else socket.AF_INET


def udp_send(args):
    """Datagrams of one kind; with --expect-replies, wait for each."""
    if args.kind == 'nonascii':
        data = bytes([0xff, 0xfe, 0x00, 0x80, 0xc3, 0xa9, 0x1b]) + \
            'é\u2603'.encode('utf-8') + b'\x7f\r\n\t\\\'"'
    elif args.kind == 'empty':
        data = b''
    else:
        data = bytes((i * 7) & 0xff for i in range(args.size))
    sock = socket.socket(family_of(args.host), socket.SOCK_DGRAM)
    sock.connect((args.host, args.port))
    sock.settimeout(2.0)
    replies = 0
    for _ in range(args.count):
        sock.send(data)
        if args.expect_replies:
            reply = sock.recv(65535)
            want = 'Your data was {} bytes long'.format(len(data)).encode()
            if reply != want:
                print('hostile: unexpected reply {!r}'.format(reply),
                      file=sys.stderr)
                return 1
            replies += 1
    print('sent {} datagrams of {} bytes, {} replies'.format(
        args.count, len(data), replies))
    return 0


def tcp_connect(args):
    sock = socket.socket(family_of(args.host), socket.SOCK_STREAM)
    sock.settimeout(5.0)
    sock.connect((args.host, args.port))
    return sock


def tcp_short(args):
    """Send a few bytes of the sixteen, then close."""
    sock = tcp_connect(args)
    sock.sendall(b'Hi th'[:args.bytes])
    sock.close()
    print('sent {} bytes and closed'.format(args.bytes))
    return 0


def reset(sock):
    # SO_LINGER with a zero timeout turns close() into a RST.
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                    struct.pack('ii', 1, 0))
    sock.close()


def tcp_reset(args):
    """Start a stream, then reset the connection in the middle of it."""
    sock = tcp_connect(args)
    sent = 0
    chunk = b'capitalize this!' * 64
    while sent < args.bytes:
        sent += sock.send(chunk[:args.bytes - sent])
    # Let the server start answering, so the reset lands mid-stream.
    time.sleep(0.2)
    reset(sock)
    print('sent {} bytes and reset'.format(sent))
    return 0


def tcp_idle(args):
    """Connect, send nothing, hold the connection for --hold seconds."""
    sock = tcp_connect(args)
    print('connected', flush=True)
    time.sleep(args.hold)
    sock.close()
    return 0


def tcp_slow(args):
    """Send one byte a second, then close."""
    sock = tcp_connect(args)
    print('connected', flush=True)
    data = b'Hi there, server'
    for i in range(args.bytes):
        sock.send(data[i % 16:i % 16 + 1])
        time.sleep(1.0)
    sock.close()
    print('sent {} bytes, one a second'.format(args.bytes))
    return 0


def tcp_swarm(args):
    """Open N connections at once, then abandon them all at once."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = args.count + 64
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE,
                           (min(want, hard), hard))
    socks = []
    for _ in range(args.count):
        s = socket.socket(family_of(args.host), socket.SOCK_STREAM)
        s.setblocking(False)
        s.connect_ex((args.host, args.port))
        socks.append(s)
    # Wait (bounded) until every handshake is done, so the server really
    # holds them all before they go.
    pending = list(socks)
    end = time.monotonic() + 5.0
    while pending and time.monotonic() < end:
        _, writable, _ = select.select([], pending[:500], [], 0.5)
        pending = [s for s in pending if s not in writable]
    connected = sum(1 for s in socks
                    if s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0)
    for s in socks:
        if args.reset:
            reset(s)
        else:
            s.close()
    print('opened {} connections, {} connected, abandoned all'.format(
        args.count, connected))
    return 0 if connected == args.count else 1


def tcp_reset_server(args):
    """Accept one client, read a little, then reset it."""
    family = family_of(args.host)
    lsock = socket.socket(family, socket.SOCK_STREAM)
    lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lsock.bind((args.host, args.port))
    lsock.listen(4)
    print('Listening at {}'.format(lsock.getsockname()), flush=True)
    conn, _ = lsock.accept()
    got = 0
    while got < args.bytes:
        data = conn.recv(65536)
        if not data:
            break
        got += len(data)
    reset(conn)
    print('read {} bytes and reset'.format(got), flush=True)
    return 0


def on_deadline(signum, frame):
    print('hostile: overall deadline reached', file=sys.stderr, flush=True)
    os._exit(124)


def main():
    parser = argparse.ArgumentParser(prog='hostile.py',
                                     description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest='command', required=True)

    def command(name, func):
        p = sub.add_parser(name)
        p.set_defaults(func=func)
        p.add_argument('-p', '--port', type=int, required=True)
        p.add_argument('--host', default='127.0.0.1')
        p.add_argument('--deadline', type=float, default=20.0)
        return p

    p = command('udp-send', udp_send)
    p.add_argument('kind', choices=['nonascii', 'empty', 'size'])
    p.add_argument('--size', type=int, default=65507)
    p.add_argument('--count', type=int, default=1)
    p.add_argument('--expect-replies', action='store_true')
    p = command('tcp-short', tcp_short)
    p.add_argument('--bytes', type=int, default=5)
    p = command('tcp-reset', tcp_reset)
    p.add_argument('--bytes', type=int, default=4096)
    p = command('tcp-idle', tcp_idle)
    p.add_argument('--hold', type=float, default=3.0)
    p = command('tcp-slow', tcp_slow)
    p.add_argument('--bytes', type=int, default=3)
    p = command('tcp-swarm', tcp_swarm)
    p.add_argument('--count', type=int, default=1000)
    p.add_argument('--reset', action='store_true')
    p = command('tcp-reset-server', tcp_reset_server)
    p.add_argument('--bytes', type=int, default=4096)

    args = parser.parse_args()
    signal.signal(signal.SIGALRM, on_deadline)
    signal.setitimer(signal.ITIMER_REAL, args.deadline)
    try:
        return args.func(args)
    except OSError as e:
        print('hostile: {}: {}'.format(type(e).__name__, e), file=sys.stderr)
        return 1


if __name__ == '__main__':
    sys.exit(main())
