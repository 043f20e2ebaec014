#!/usr/bin/env python3
"""Independent Python peer for netdemo's tests: the other end of each protocol.

netdemo re-implements the book's UDP and TCP programs in C.  The tests need a
second implementation that is known to be right, to talk to each applet from
the other side, so this file speaks the protocols of SPEC section 3 with the
Python standard library only.  Every subcommand is bounded by --deadline
(default 10 s) so that a peer can never hang a test.

Exit codes: 0 done, 1 socket error (printed the way Python names it),
2 usage, 3 gave up waiting for the other side, 124 overall deadline reached,
130 interrupted.

Arguments called BYTES accept Python escapes (\\x00, \\xff, \\n, \\t, \\\\) so
tests can send data that is not printable ASCII.
"""

import argparse
import codecs
import os
import random
import selectors
import signal
import socket
import sys

SIXTEEN = 16
UPPER_CHUNK = b'capitalize this!'
# How much upper-cased data the upper server holds for a client that does not
# read.  Past this it stops reading, like the book's server, which is what
# makes a half-duplex client deadlock against it.
UPPER_BACKLOG = 64 * 1024


class GaveUp(Exception):
    """The other side did not answer within the per-operation timeout."""


def escaped_bytes(text):
    """Turn a command-line string with Python escapes into bytes."""
    return codecs.escape_decode(text.encode('utf-8'))[0]


def resolve(host, port, kind, passive=False):
    """Return (family, sockaddr) for host; IPv6 works by giving '::1'."""
    flags = socket.AI_PASSIVE if passive else 0
    infos = socket.getaddrinfo(host or None, port, socket.AF_UNSPEC, kind, 0,
                               flags)
    family, _, _, _, sockaddr = infos[0]
    return family, sockaddr


def listen_line(sock, text='Listening at'):
    # Python's own str() of the address tuple is the format netdemo copies,
    # so the helpers can parse both programs' lines with one regex.
    print(text, sock.getsockname(), flush=True)


def decoded_repr(data):
    """repr() of text when it decodes as ASCII, as the book prints it,
    else repr() of the raw bytes, so odd data is still shown exactly."""
    try:
        return repr(data.decode('ascii'))
    except UnicodeDecodeError:
        return repr(data)


def recv_exactly(sock, count):
    """Read up to count bytes, stopping early only at EOF."""
    data = b''
    while len(data) < count:
        more = sock.recv(count - len(data))
        if not more:
            break
        data += more
    return data


# ---- UDP ---------------------------------------------------------------

def udp_server(args):
    family, addr = resolve(args.host, args.port, socket.SOCK_DGRAM, True)
    sock = socket.socket(family, socket.SOCK_DGRAM)
    sock.bind(addr)
    listen_line(sock)
    seen = 0
    # Seeded: the same datagrams dropped every run.
    drops = random.Random(7)
    while args.count == 0 or seen < args.count:
        data, peer = sock.recvfrom(65535)
        seen += 1
        print('The client at {} says {}'.format(peer, decoded_repr(data)),
              flush=True)
        if args.silent or drops.random() < args.drop:
            continue
        if args.echo:
            # An RFC 862 echo service: the datagram itself, back.
            reply = data
        elif args.reply is not None:
            reply = escaped_bytes(args.reply)
        else:
            reply = 'Your data was {} bytes long'.format(len(data)).encode()
        try:
            for _ in range(2 if args.twice else 1):
                sock.sendto(reply, peer)
        except OSError as e:
            # A vanished client must not end the server.
            print_error(e)
    return 0


def udp_client(args):
    family, addr = resolve(args.host, args.port, socket.SOCK_DGRAM)
    sock = socket.socket(family, socket.SOCK_DGRAM)
    # Connected, so that an ICMP port unreachable comes back as an error
    # instead of a silent wait.
    sock.connect(addr)
    sock.settimeout(args.timeout)
    sock.send(escaped_bytes(args.message))
    try:
        data = sock.recv(65535)
    except socket.timeout:
        raise GaveUp('no reply within {} s'.format(args.timeout))
    print(repr(data.decode('utf-8', 'replace')), flush=True)
    return 0


# ---- TCP: sixteen-octet exchange ---------------------------------------

def tcp_listener(args):
    family, addr = resolve(args.host, args.port, socket.SOCK_STREAM, True)
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(addr)
    sock.listen(16)
    listen_line(sock)
    return sock


def tcp_sixteen_server(args):
    listener = tcp_listener(args)
    reply = escaped_bytes(args.reply)
    if args.close_after is not None:
        reply = reply[:args.close_after]
    served = 0
    held = []
    while args.count == 0 or served < args.count:
        conn, _ = listener.accept()
        served += 1
        try:
            message = recv_exactly(conn, SIXTEEN)
            print(repr(message), flush=True)
            conn.sendall(reply)
        except OSError as e:
            # Resets and early closes are the client's business.
            print_error(e)
        if args.keep_open:
            held.append(conn)
        else:
            conn.close()
    # The held connections stay open until the client gives up.
    while held:
        conn = held.pop()
        conn.settimeout(args.deadline)
        try:
            while conn.recv(4096):
                pass
        except OSError:
            pass
        conn.close()
    return 0


def tcp_sixteen_client(args):
    family, addr = resolve(args.host, args.port, socket.SOCK_STREAM)
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.settimeout(args.timeout)
    try:
        sock.connect(addr)
        sock.sendall(escaped_bytes(args.send))
        reply = recv_exactly(sock, SIXTEEN)
    except socket.timeout:
        raise GaveUp('no reply within {} s'.format(args.timeout))
    if len(reply) < SIXTEEN:
        # The book's recvall() wording, so both programs read the same.
        print('EOFError: was expecting {} bytes but only received {} bytes '
              'before the socket closed'.format(SIXTEEN, len(reply)),
              file=sys.stderr, flush=True)
        return 1
    print(repr(reply), flush=True)
    return 0


# ---- TCP: upper-casing stream ------------------------------------------

class UpperConn:
    """One client of the upper server: bytes read but not yet echoed."""

    def __init__(self, sock, peer):
        self.sock = sock
        self.peer = peer
        self.pending = b''
        self.eof = False
        self.total = 0
        self.shut = False


def upper_events(conn):
    events = 0
    # Stop reading while the client is not reading what we owe it.
    if not conn.eof and len(conn.pending) < UPPER_BACKLOG:
        events |= selectors.EVENT_READ
    if conn.pending:
        events |= selectors.EVENT_WRITE
    return events


def tcp_upper_server(args):
    listener = tcp_listener(args)
    listener.setblocking(False)
    sel = selectors.DefaultSelector()
    sel.register(listener, selectors.EVENT_READ, None)
    finished = 0
    while args.count == 0 or finished < args.count:
        for key, mask in sel.select():
            if key.data is None:
                try:
                    sock, peer = listener.accept()
                except BlockingIOError:
                    continue
                sock.setblocking(False)
                sel.register(sock, selectors.EVENT_READ, UpperConn(sock, peer))
                continue
            conn = key.data
            try:
                if mask & selectors.EVENT_READ:
                    data = conn.sock.recv(65536)
                    if data:
                        keep = len(data)
                        if args.stop_after is not None:
                            keep = max(0, min(keep,
                                              args.stop_after - conn.total))
                        conn.pending += data[:keep].upper()
                        conn.total += len(data)
                    else:
                        conn.eof = True
                if mask & selectors.EVENT_WRITE and conn.pending:
                    sent = conn.sock.send(conn.pending)
                    conn.pending = conn.pending[sent:]
                # --stop-after: its end of the stream, read on to the end.
                if (args.stop_after is not None and not conn.shut and
                        not conn.pending and conn.total >= args.stop_after):
                    conn.sock.shutdown(socket.SHUT_WR)
                    conn.shut = True
                done = conn.eof and not conn.pending
            except (BlockingIOError, InterruptedError):
                done = False
            except OSError as e:
                print_error(e)
                done = True
            if done:
                sel.unregister(conn.sock)
                conn.sock.close()
                finished += 1
                print('Processed {} bytes from {}'.format(conn.total,
                                                          conn.peer),
                      flush=True)
            else:
                sel.modify(conn.sock, upper_events(conn), conn)
    return 0


def tcp_upper_client(args):
    family, addr = resolve(args.host, args.port, socket.SOCK_STREAM)
    repeats = (max(args.bytes, 0) + SIXTEEN - 1) // SIXTEEN
    outgoing = memoryview(UPPER_CHUNK * repeats)
    expected = (UPPER_CHUNK * repeats).upper()
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.settimeout(args.timeout)
    sock.connect(addr)
    sock.setblocking(False)
    sel = selectors.DefaultSelector()
    sel.register(sock, selectors.EVENT_READ | selectors.EVENT_WRITE)
    received = bytearray()
    sent = 0
    shut = False
    if not outgoing:
        sock.shutdown(socket.SHUT_WR)
        shut = True
    # Reading while sending is the whole point: the client never stops
    # draining the server, so it cannot deadlock however large N is.
    while True:
        events = sel.select(args.timeout)
        if not events:
            raise GaveUp('no progress for {} s after sending {} and '
                         'receiving {} bytes'.format(args.timeout, sent,
                                                     len(received)))
        _, mask = events[0]
        if mask & selectors.EVENT_READ:
            try:
                data = sock.recv(65536)
            except BlockingIOError:
                data = None
            if data == b'':
                break
            if data:
                received += data
        if mask & selectors.EVENT_WRITE and not shut:
            try:
                sent += sock.send(outgoing[sent:sent + 65536])
            except BlockingIOError:
                pass
            if sent == len(outgoing):
                sock.shutdown(socket.SHUT_WR)
                shut = True
                sel.modify(sock, selectors.EVENT_READ)
    sock.close()
    matched = bytes(received) == expected
    print('sent {} bytes'.format(sent))
    print('received {} bytes'.format(len(received)))
    print('matched: {}'.format('yes' if matched else 'no'), flush=True)
    return 0 if matched else 1


# ---- driver ------------------------------------------------------------

def print_error(e):
    # Python's own names and words, e.g.
    # ConnectionRefusedError: [Errno 111] Connection refused
    print('peer: {}: {}'.format(type(e).__name__, e), file=sys.stderr,
          flush=True)


def on_deadline(signum, frame):
    print('peer: overall deadline reached, giving up', file=sys.stderr,
          flush=True)
    sys.stdout.flush()
    # _exit: no exception that a socket call could swallow or turn into
    # something else; the test sees 124, as from timeout(1).
    os._exit(124)


def build_parser():
    parser = argparse.ArgumentParser(prog='peer.py',
                                     description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest='command', required=True)

    def common(name, func, client):
        p = sub.add_parser(name)
        p.set_defaults(func=func)
        p.add_argument('-p', '--port', type=int, required=True)
        p.add_argument('--host', default='127.0.0.1',
                       help="address; '::1' for IPv6, '' for every interface")
        p.add_argument('--deadline', type=float, default=10.0,
                       help='overall bound on the run in seconds')
        if client:
            p.add_argument('--timeout', type=float, default=5.0,
                           help='seconds to wait for the other side (exit 3)')
        else:
            p.add_argument('-c', '--count', type=int, default=0,
                           help='exit after N datagrams or connections '
                           '(0: no limit)')
        return p

    p = common('udp-server', udp_server, False)
    p.add_argument('--reply', metavar='BYTES',
                   help="reply text instead of 'Your data was N bytes long'")
    p.add_argument('--silent', action='store_true', help='never reply')
    p.add_argument('--echo', action='store_true',
                   help='reply with the datagram itself (RFC 862)')
    p.add_argument('--twice', action='store_true',
                   help='send each reply twice, as a path that duplicates')
    p.add_argument('--drop', type=float, default=0.0, metavar='FRACTION',
                   help='answer none of this share of the datagrams, '
                   'chosen at random (seeded)')

    p = common('udp-client', udp_client, True)
    p.add_argument('-m', '--message', metavar='BYTES',
                   default='This is another message')

    p = common('tcp-sixteen-server', tcp_sixteen_server, False)
    p.add_argument('--reply', metavar='BYTES', default='Farewell, client')
    p.add_argument('--close-after', type=int, metavar='K',
                   help='send only the first K bytes of the reply, then close')
    p.add_argument('--keep-open', action='store_true',
                   help='after the reply, keep each connection open until '
                   'the client closes it (or --deadline)')

    p = common('tcp-sixteen-client', tcp_sixteen_client, True)
    p.add_argument('--send', metavar='BYTES', default='Hi there, server')

    p = common('tcp-upper-server', tcp_upper_server, False)
    p.add_argument('--stop-after', type=int, metavar='K',
                   help='echo only the first K bytes, then close its side '
                   'and read the rest without echo')

    p = common('tcp-upper-client', tcp_upper_client, True)
    p.add_argument('-n', '--bytes', type=int, default=16,
                   help='bytes to send, rounded up to a multiple of 16')
    return parser


def main():
    args = build_parser().parse_args()
    signal.signal(signal.SIGALRM, on_deadline)
    if args.deadline > 0:
        signal.setitimer(signal.ITIMER_REAL, args.deadline)
    # A peer started in the background by a non-interactive shell inherits
    # SIGINT ignored; restore it so tests can check a clean Ctrl-C.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        return args.func(args)
    except (GaveUp, TimeoutError) as e:
        # TimeoutError: a socket timeout, e.g. connect() to a black hole.
        print('peer: gave up: {}'.format(str(e) or 'timed out'),
              file=sys.stderr, flush=True)
        return 3
    except OSError as e:
        print_error(e)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == '__main__':
    sys.exit(main())
