#!/usr/bin/env python3
"""Write the fuzz targets' seed corpus into tests/fuzz/corpus/TARGET/.

The seeds are committed; this script says where each came from and makes
them again (python3 tests/fuzz/mkseeds.py).  Each seed is a small valid
input of its target, so the fuzzer starts from the interesting shapes:
real command lines, real ICMP records.
"""

import hashlib
import os
import socket
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def argv(*words):
    return b'\0'.join(w.encode() if isinstance(w, str) else w for w in words)


OPT = [
    argv('-p', '9'), argv('-p9'), argv('--port=70000'), argv('--port', 'abc'),
    argv('-qp', '9', 'host'), argv('-46'), argv('--json', '-q'),
    argv('--help'), argv('-h', 'x'), argv('--', '-p', 'x'),
    argv('--drop', '0.5', '--seed', '7', '--no-reply', '-c', '3'),
    argv('--drop=1.5'), argv('--backoff', '0.1,2.0'), argv('--backoff=0'),
    argv('--backoff', '2,1'), argv('--backoff', '0.1,'),
    argv('-m', 'hi', '--promiscuous'),
    argv('--broadcast', '--promiscuous', '255.255.255.255'),
    argv('--mode', 'upper', '-n', '1073741824', '--full-duplex'),
    argv('--mode=loud'), argv('--stall', '0', '127.0.0.1', '32'),
    argv('--idle', '30', '--max-clients', '1', '--count=2', ''),
    argv('--once', '::1'), argv('--po', '1'), argv('--m', 'x'),
    argv('--json=1'), argv('-x'), argv('a', 'b', 'c', 'd', 'e', 'f', 'g',
                                      'h', 'i', 'j'),
]

DISPATCH = [
    argv('netdemo', 'udp-server', '-p', '0'),
    argv('netdemo', 'udp', 'server', '-p', '0'),
    argv('netdemo', 'tcp', 'client', '127.0.0.1', '--mode', 'upper'),
    argv('netdemo', 'mtu', 'probe', '::1', '--once'),
    argv('udp_local', 'server'), argv('udp_local.py', 'client', '-p', '1'),
    argv('/usr/bin/tcp_sixteen', 'server', ''),
    argv('tcp_deadlock', 'client', '127.0.0.1', '1024', '--stall', '2'),
    argv('tcp_deadlock', '-p', '9', 'client', 'h'),
    argv('udp_remote', '--', 'server', 'h'), argv('udp_remote', 'dance'),
    argv('udp_broadcast', '-h'), argv('big_sender', 'host', '-p9'),
    argv('netdemo', 'tcp_sixteen', 'server', '', '--seed', '7'),
    argv('netdemo', '--help', 'udp_local'), argv('netdemo', '--list'),
    argv('netdemo', 'nope'), argv('netdemo'), argv(''),
    argv('netdemo', 'udp', 'dance'),
]

REPR = [
    b'\x00Hi there, server', b'\x01Your data was 38 bytes long',
    b"\x01it's", b'\x01it\'s "quoted"', b'\x02caf\xc3\xa9',
    b'\x00' + bytes(range(256)), b'\x02\t\r\n\\\x7f',
] + [b'\x03' + struct.pack('<d', v) for v in
     (0.1, 2.0, 1e16, 1e-5, 5e-324, -0.0, 1.7976931348623157e308,
      float('nan'), float('inf'), 123456789.125)] + [
    b'\x04\x00\x7f' + struct.pack('>H', 1060) + socket.inet_aton('127.0.0.1'),
    b'\x04\x01\x7f' + struct.pack('>HI', 1060, 0) +
    socket.inet_pton(socket.AF_INET6, 'fe80::1') + struct.pack('<I', 1),
    b'\x04\x02\x00', b'\x04\x01\x05' + b'\xff' * 30,
]

JSON = [
    b'\x01plain text', b'\x01"quoted" \\ and \n\t\r\x01\x7f\xff',
    b'\x01' + bytes(range(256)), b'\x01',
    b'\x00\x01' + struct.pack('<d', 0.1) + b'\x05\x06{} {}xsaysHi there',
    b'\x00\x00' + struct.pack('<d', 2.0) +
    b'\x0a\x03The {} {}dataYour data was 5 bytes long',
    b'\x00\x01' + struct.pack('<d', float('nan')) + b'\x00\x00\xff\xfe',
]


def cmsg(level, kind, data):
    # struct cmsghdr on LP64 Linux: size_t len, int level, int type.
    head = struct.pack('=QiI', 16 + len(data), level, kind)
    pad = b'\0' * (-(16 + len(data)) % 8)
    return head + data + pad


def ee(errno, origin, kind, code, info):
    return struct.pack('=IBBBBII', errno, origin, kind, code, 0, info, 0)


def sin(addr):
    return struct.pack('=H', socket.AF_INET) + struct.pack('>H', 0) + \
        socket.inet_aton(addr) + b'\0' * 8


def sin6(addr):
    return struct.pack('=H', socket.AF_INET6) + struct.pack('>HI', 0, 0) + \
        socket.inet_pton(socket.AF_INET6, addr) + struct.pack('=I', 0)


IP_RECVERR, IPV6_RECVERR = 11, 25
ICMP = [
    # Local EMSGSIZE: the route's MTU, no offender.
    cmsg(0, IP_RECVERR, ee(90, 1, 0, 0, 1500) + sin('0.0.0.0')),
    # ICMPv4 fragmentation needed from a router.
    cmsg(0, IP_RECVERR, ee(90, 2, 3, 4, 1400) + sin('10.0.0.1')),
    # Port unreachable: the datagram arrived.
    cmsg(0, IP_RECVERR, ee(111, 2, 3, 3, 0) + sin('127.0.0.1')),
    # Host unreachable, time exceeded.
    cmsg(0, IP_RECVERR, ee(113, 2, 3, 1, 0) + sin('192.0.2.1')),
    cmsg(0, IP_RECVERR, ee(0, 2, 11, 0, 0) + sin('192.0.2.2')),
    # ICMPv6 packet too big, unreachable.
    cmsg(41, IPV6_RECVERR, ee(90, 3, 2, 0, 1280) + sin6('fd00:1::1')),
    cmsg(41, IPV6_RECVERR, ee(111, 3, 1, 4, 0) + sin6('::1')),
    # A record after another message; a record cut short.
    cmsg(1, 29, b'\0' * 16) + cmsg(0, IP_RECVERR, ee(90, 2, 3, 4, 576) +
                                   sin('10.1.1.1')),
    cmsg(0, IP_RECVERR, ee(90, 2, 3, 4, 1400))[:30],
    cmsg(0, IP_RECVERR, ee(90, 4, 0, 0, 0)),
]

PMTU = [
    # Parsers: a udp-server's reply, a probe's tag, near misses.
    b'\x01Your data was 1472 bytes long', b'\x01Your data was 99999 bytes long',
    b'\x01Your data was 12 bytes lon', b'\x01netdemo mtu-probe 1500\n....',
    b'\x01netdemo mtu-probe \n',
    # 19 nines overflowed a long long once.
    b'\x01Your data was 9999999999999999999 bytes long',
    # Searches: max, path MTU, min, tries, reply; then what routers say.
    b'\x00' + struct.pack('>HHBBB', 1500, 1400, 0, 2, 1) + b'\x01' * 8,
    b'\x00' + struct.pack('>HHBBB', 9000, 1280, 0, 3, 1) + b'\x00' * 8,
    b'\x00' + struct.pack('>HHBBB', 65535, 1500, 0, 1, 0) + b'\x02' * 8,
    b'\x00' + struct.pack('>HHBBB', 1500, 60, 12, 2, 1),
    # Lossy paths: bit 2 of the reply byte drops the probes that fit whose
    # input byte is odd.
    b'\x00' + struct.pack('>HHBBB', 220, 1212, 0, 2, 3) + b'\x01\x00\x00' * 12,
    b'\x00' + struct.pack('>HHBBB', 65535, 1212, 0, 0, 3) + b'\x01' * 40,
]


def write(target, seeds):
    d = os.path.join(HERE, 'corpus', target)
    os.makedirs(d, exist_ok=True)
    for s in seeds:
        name = hashlib.sha1(s).hexdigest()[:16]
        with open(os.path.join(d, name), 'wb') as f:
            f.write(s)


if __name__ == '__main__':
    # fuzz_opt takes the first piece as argv[0], the program's name, as
    # the kernel gives it: without one, every seed's first word is lost.
    write('fuzz_opt', [argv('netdemo') + b'\0' + s for s in OPT])
    write('fuzz_dispatch', DISPATCH)
    write('fuzz_repr', REPR)
    write('fuzz_json', JSON)
    write('fuzz_icmp', ICMP)
    write('fuzz_pmtu', PMTU)
