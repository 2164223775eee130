#!/usr/bin/python3
"""Writes a small pcap of hand-made datagrams for the decode test: a valid
IKEv2 header with a broken SA payload, a NAT-keepalive, an ESP-in-UDP packet,
a truncated IKEv1 header on port 4500, and a non-IKE UDP packet.
Standard library only, so the test needs nothing but python3."""
import struct
import sys


def ipv4_udp(payload, sport, dport):
    udp = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 1, 0, 64, 17, 0,
                      bytes([192, 0, 2, 1]), bytes([192, 0, 2, 2]))
    csum = sum(struct.unpack("!10H", hdr))
    csum = (csum & 0xFFFF) + (csum >> 16)
    csum = ~((csum & 0xFFFF) + (csum >> 16)) & 0xFFFF
    hdr = hdr[:10] + struct.pack("!H", csum) + hdr[12:]
    eth = b"\x02\x00\x00\x00\x00\x02" + b"\x02\x00\x00\x00\x00\x01" + b"\x08\x00"
    return eth + hdr + udp


def ikev2(chain, first):
    return struct.pack("!QQBBBBII", 0x1122334455667788, 0, first, 0x20, 34, 0x08, 0,
                       28 + len(chain)) + chain


# SA payload whose only proposal claims 300 bytes in a 12-byte payload.
bad_sa = struct.pack("!BBH", 0, 0, 12) + struct.pack("!BBHBBBB", 0, 0, 300, 1, 1, 0, 0)
frames = [
    ipv4_udp(ikev2(bad_sa, 33), 500, 500),
    ipv4_udp(b"\xff", 4500, 4500),
    ipv4_udp(b"\x00\x00\x10\x01" + b"\x00\x00\x00\x01" + b"\xaa" * 16, 4500, 4500),
    ipv4_udp(b"\x00\x00\x00\x00" + b"\x01" * 20, 4500, 4500),
    ipv4_udp(b"hello", 5000, 53),
]
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
    for i, fr in enumerate(frames):
        f.write(struct.pack("<IIII", 1700000000 + i, 0, len(fr), len(fr)) + fr)
