#!/usr/bin/env python3
"""Asks one DNS server for the A record of one name over UDP and prints the first address.

usage: dns-query.py SERVER NAME    (exit 1 without an answer within 2 s)
"""
import random
import socket
import struct
import sys


def query(server: str, name: str) -> str:
    ident = random.randrange(65536)
    header = struct.pack(">HHHHHH", ident, 0x0100, 1, 0, 0, 0)  # recursion desired, one question
    question = b"".join(bytes([len(p)]) + p.encode() for p in name.strip(".").split(".")) + b"\0"
    packet = header + question + struct.pack(">HH", 1, 1)  # type A, class IN
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(2)
        s.sendto(packet, (server, 53))
        reply, _ = s.recvfrom(4096)
    rid, _flags, _qd, answers = struct.unpack(">HHHH", reply[:8])
    if rid != ident or answers == 0:
        raise LookupError(f"no answer for {name}")
    offset = len(packet)
    for _ in range(answers):
        if reply[offset] & 0xC0 == 0xC0:  # compressed name pointer
            offset += 2
        else:
            while reply[offset] != 0:
                offset += reply[offset] + 1
            offset += 1
        rtype, _cls, _ttl, length = struct.unpack(">HHIH", reply[offset:offset + 10])
        offset += 10
        if rtype == 1 and length == 4:
            return socket.inet_ntoa(reply[offset:offset + 4])
        offset += length
    raise LookupError(f"no A record for {name}")


if __name__ == "__main__":
    try:
        print(query(sys.argv[1], sys.argv[2]))
    except (OSError, LookupError, IndexError) as err:
        print(err, file=sys.stderr)
        sys.exit(1)
