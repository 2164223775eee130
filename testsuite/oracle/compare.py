#!/usr/bin/python3
"""The tshark oracle: does Wireshark's IKE dissector read osprey's messages
the way osprey's own model says they are built?

    compare.py [--tshark PATH] OUT.pcap OUT.json

OUT.pcap and OUT.json come from mkpcap: every message of the sample catalogue
in a frame, and per frame what osprey's parser makes of it. This script runs
tshark over the pcap and compares, frame by frame and field by field, the
values tshark shows with the values in OUT.json. It prints TAP: one line per
frame ("ok N - frame K NAME: ..." or "not ok N - ...: FIELD: osprey X,
tshark Y"), one for tshark's expert infos (no malformed packet, no warning or
error), one for the catalogue's coverage (at least 30 messages, every IKEv2
payload type, the IKEv1 ones), and the plan last. -v prints every compared
field as a TAP comment.

tshark's IKEv1 reassembly: on the last Cisco-style fragment, tshark glues
the fragments together and dissects the result as an ISAKMP message. Those
fragment data are compared with osprey's. When the glued bytes are not an
ISAKMP message at all (test data, not anything osprey built), the expert
errors tshark raises inside them get a separate "# TODO" line (an expected
failure) instead of failing the expert check; once the catalogue fragments a
real message, they fall under the strict check again.

Why PDML and not -T json: in tshark's JSON, fields are object keys, so a
payload chain (several "isakmp.typepayload" siblings, several
"isakmp.delete.spi", several transforms) becomes duplicate keys, whose order
and multiplicity JSON parsers do not keep; --no-duplicate-keys groups them
into lists per name, which loses the interleaving. PDML is XML: every field
is an element, in dissection order, with its position and size in the frame,
so a payload chain is read back exactly as tshark saw it. Checked against
tshark 4.0 (Debian 12).

Only the Python standard library is used.

Where tshark's dissector does not show a field, the comparison says so in a
comment (see QUIRKS below) and compares what it does show: the payload's
type, next-payload, length and any field it decodes. No payload is skipped.
"""

import argparse
import json
import os
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET

# Payload types that must all appear in the catalogue (RFC 7296 §3.2, RFC 7383).
V2_REQUIRED = {
    33: "SA", 34: "KE", 35: "IDi", 36: "IDr", 37: "CERT", 38: "CERTREQ",
    39: "AUTH", 40: "Nonce", 41: "N", 42: "D", 43: "V", 44: "TSi", 45: "TSr",
    46: "SK", 47: "CP", 48: "EAP", 53: "SKF",
}
# IKEv1 payload types (RFC 2408 §3, RFC 3947, the NAT-T drafts, Cisco
# fragments). P and T live inside SA payloads.
V1_NAMES = {
    1: "SA", 2: "P", 3: "T", 4: "KE", 5: "ID", 6: "CERT", 7: "CR", 8: "HASH",
    9: "SIG", 10: "NONCE", 11: "N", 12: "D", 13: "VID", 14: "ATTR",
    20: "NAT-D", 21: "NAT-OA", 130: "NAT-D(draft)", 131: "NAT-OA(draft)",
    132: "FRAG",
}
V1_REQUIRED = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 20, 21, 132}
MIN_MESSAGES = 30

# What tshark 4.0's dissector does not show, and how this script copes.
# Each is reported as a TAP comment when the case occurs.
QUIRKS = {
    "skf-data": "tshark shows an SKF payload's fragment number, total and "
                "next payload, but hands the encrypted data to its "
                "reassembler instead of showing it: compared the payload "
                "length, which covers it",
    "v1-frag-data": "tshark shows an IKEv1 fragment's id, number and last "
                    "flag, but hands the data to its reassembler instead of "
                    "showing it: compared the payload length, which covers "
                    "it, and the data where tshark lists the fragments of a "
                    "reassembled message",
    "sk-iv": "without keys tshark cannot know the IV length of an SK payload "
             "and shows its first 4 bytes as the IV and the rest as "
             "encrypted data: compared IV | ciphertext | ICV as the "
             "concatenation of those fields",
    "eap-empty-identity": "tshark adds no eap.identity field for an empty "
                          "EAP identity: compared that it shows none, and the "
                          "EAP length",
    "v1-reassembled": "on the last IKEv1 fragment tshark reassembles the "
                      "message and dissects it as a second ISAKMP layer: "
                      "compared the fragment list and the reassembled length "
                      "with osprey's fragments; the inner message's fields "
                      "are not compared (osprey's model of it is the opaque "
                      "fragment data)",
}

SEV_WARN = 0x00600000
SEV_ERROR = 0x00800000
GROUP_SECURITY = 0x0a000000


class Mismatch(Exception):
    pass


# ---------------------------------------------------------------------------
# Reading the capture and the PDML
# ---------------------------------------------------------------------------

def read_pcap(path):
    """The frames of a classic pcap file, as a list of bytes."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        raise SystemExit("compare.py: %s: not a pcap file" % path)
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        endian = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        endian = ">"
    else:
        raise SystemExit("compare.py: %s: not a pcap file" % path)
    frames, off = [], 24
    while off + 16 <= len(data):
        _, _, caplen, _ = struct.unpack(endian + "IIII", data[off:off + 16])
        off += 16
        frames.append(data[off:off + caplen])
        off += caplen
    return frames


def fields(elem, name):
    """Direct children of elem that are fields called name, in order."""
    return [c for c in elem if c.tag == "field" and c.get("name") == name]


def protos(elem, name):
    return [c for c in elem if c.tag == "proto" and c.get("name") == name]


def walk(elem):
    """Every field and proto under elem, depth first, in order."""
    for c in elem:
        yield c
        yield from walk(c)


class Frame:
    """One packet of the PDML, with the raw bytes of the frame."""

    def __init__(self, packet, raw):
        self.packet = packet
        self.raw = raw
        self.layers = {}
        for p in packet:
            if p.tag == "proto":
                self.layers.setdefault(p.get("name"), p)

    def number(self):
        geninfo = self.layers.get("geninfo")
        num = fields(geninfo, "num") if geninfo is not None else []
        return int(num[0].get("show")) if num else None

    def region(self, f):
        pos, size = int(f.get("pos", "0")), int(f.get("size", "0"))
        return self.raw[pos:pos + size].hex()


# ---------------------------------------------------------------------------
# Comparing
# ---------------------------------------------------------------------------

class Checker:
    """Counts compared fields and collects mismatches for one frame."""

    def __init__(self, frame, frames_by_number):
        self.frame = frame
        self.frames_by_number = frames_by_number
        self.count = 0
        self.errors = []
        self.notes = set()
        self.reassembled_not_a_message = False

    verbose = False

    def eq(self, what, osprey, tshark):
        self.count += 1
        if self.verbose:
            print("#   %s: osprey %s, tshark %s" % (what, show(osprey), show(tshark)))
        if osprey != tshark:
            self.errors.append("%s: osprey %s, tshark %s"
                               % (what, show(osprey), show(tshark)))

    def fail(self, what):
        self.errors.append(what)

    # -- reading one field ------------------------------------------------
    def one(self, elem, name, what):
        """The only child field called name; a mismatch when there is none."""
        found = fields(elem, name)
        if len(found) != 1:
            raise Mismatch("%s: tshark shows %d %s fields, expected 1"
                           % (what, len(found), name))
        return found[0]

    def uint(self, elem, name, what):
        return to_int(self.one(elem, name, what))

    def hexval(self, elem, name, what):
        return self.one(elem, name, what).get("value", "").lower()

    def check_uint(self, what, osprey, elem, name):
        try:
            self.eq(what, osprey, self.uint(elem, name, what))
        except Mismatch as e:
            self.count += 1
            self.errors.append(str(e))

    def check_hex(self, what, osprey, elem, name):
        try:
            self.eq(what, osprey, self.hexval(elem, name, what))
        except Mismatch as e:
            self.count += 1
            self.errors.append(str(e))

    def check_show(self, what, osprey, elem, name):
        try:
            self.eq(what, osprey, self.one(elem, name, what).get("show"))
        except Mismatch as e:
            self.count += 1
            self.errors.append(str(e))

    def check_region(self, what, osprey, elem, name):
        """Bytes tshark delineates with a field that has no value of its own."""
        try:
            self.eq(what, osprey, self.frame.region(self.one(elem, name, what)))
        except Mismatch as e:
            self.count += 1
            self.errors.append(str(e))


def show(v):
    if isinstance(v, str) and len(v) > 48:
        return "%r...(%d chars)" % (v[:40], len(v))
    return repr(v)


def to_int(f):
    s = f.get("show", "")
    try:
        return int(s, 0)
    except ValueError:
        pass
    try:
        return int(s)
    except ValueError:
        pass
    v = f.get("value", "")
    return int(v, 16) if v else None


# ---------------------------------------------------------------------------
# Header, payload chain and payload bodies
# ---------------------------------------------------------------------------

def check_header(c, isakmp, fr):
    v = fr["version"]
    c.check_hex("initiator %s" % ("SPI" if v == 2 else "cookie"), fr["ispi"], isakmp, "isakmp.ispi")
    c.check_hex("responder %s" % ("SPI" if v == 2 else "cookie"), fr["rspi"], isakmp, "isakmp.rspi")
    c.check_uint("header next payload", fr["next_payload"], isakmp, "isakmp.nextpayload")
    try:
        ver = c.one(isakmp, "isakmp.version", "version")
        c.eq("version", fr["version_byte"], int(ver.get("value"), 16))
        c.check_uint("major version", fr["version_byte"] >> 4, ver, "isakmp.mjver")
        c.check_uint("minor version", fr["version_byte"] & 15, ver, "isakmp.mnver")
    except Mismatch as e:
        c.fail(str(e))
    c.check_uint("exchange type", fr["exchange"], isakmp, "isakmp.exchangetype")
    c.check_uint("flags", fr["flags"], isakmp, "isakmp.flags")
    try:
        flags = c.one(isakmp, "isakmp.flags", "flags")
        bits = ({"isakmp.flag_i": 0x08, "isakmp.flag_v": 0x10, "isakmp.flag_r": 0x20}
                if v == 2 else
                {"isakmp.flag_e": 0x01, "isakmp.flag_c": 0x02, "isakmp.flag_a": 0x04})
        for name, bit in bits.items():
            c.check_uint("flag %s" % name.split("_")[-1].upper(),
                         int(bool(fr["flags"] & bit)), flags, name)
    except Mismatch as e:
        c.fail(str(e))
    c.check_uint("message ID", fr["msgid"], isakmp, "isakmp.messageid")
    c.check_uint("length", fr["length"], isakmp, "isakmp.length")


def check_substruct_header(c, what, elem, next_expected, length_expected):
    c.check_uint(what + " more/last", next_expected, elem, "isakmp.nextpayload")
    if length_expected is not None:
        c.check_uint(what + " length", length_expected, elem, "isakmp.payloadlength")


def check_attrs(c, what, attrs, elem, name):
    """Transform or config attributes in the RFC 2408 §3.3 TV/TLV form."""
    shown = fields(elem, name)
    c.eq(what + " attribute count", len(attrs), len(shown))
    for i, (a, f) in enumerate(zip(attrs, shown)):
        w = "%s attribute %d" % (what, i + 1)
        c.check_uint(w + " type", a["type"], f, name + ".type")
        c.check_uint(w + " format (1=TV)", int(a["tv"]), f, name + ".format")
        if a["tv"]:
            c.eq(w + " value", a["value"], int(c.hexval(f, name + ".value", w) or "0", 16))
        else:
            c.check_uint(w + " length", a["len"], f, name + ".length")
            if a["len"]:
                c.check_hex(w + " value", a["data"], f, name + ".value")
            else:
                c.eq(w + " value", "", "".join(x.get("value", "") for x in fields(f, name + ".value")))


def check_proposals(c, pl, elem, version):
    shown = [p for p in fields(elem, "isakmp.typepayload") if to_int(p) == 2]
    c.eq("number of proposals", len(pl["proposals"]), len(shown))
    for i, (p, f) in enumerate(zip(pl["proposals"], shown)):
        w = "proposal %d" % (i + 1)
        last = i + 1 == len(pl["proposals"])
        check_substruct_header(c, w, f, 0 if last else 2, None)
        c.check_uint(w + " number", p["num"], f, "isakmp.prop.number")
        c.check_uint(w + " protocol", p["protocol"], f, "isakmp.prop.protoid")
        c.check_uint(w + " SPI size", p["spi_size"], f, "isakmp.spisize")
        c.check_uint(w + " transform count", len(p["transforms"]), f, "isakmp.prop.transforms")
        if p["spi_size"]:
            c.check_hex(w + " SPI", p["spi"], f, "isakmp.spi")
        else:
            c.eq(w + " SPI fields", 0, len(fields(f, "isakmp.spi")))
        trs = [t for t in fields(f, "isakmp.typepayload") if to_int(t) == 3]
        c.eq(w + " transforms shown", len(p["transforms"]), len(trs))
        for j, (t, tf) in enumerate(zip(p["transforms"], trs)):
            tw = "%s transform %d" % (w, j + 1)
            tlast = j + 1 == len(p["transforms"])
            attr_len = sum(4 + (0 if a["tv"] else a["len"]) for a in t["attrs"])
            check_substruct_header(c, tw, tf, 0 if tlast else 3, 8 + attr_len)
            if version == 2:
                c.check_uint(tw + " type", t["type"], tf, "isakmp.tf.type")
                idname = {1: "isakmp.tf.id.encr", 2: "isakmp.tf.id.prf", 3: "isakmp.tf.id.integ",
                          4: "isakmp.tf.id.dh", 5: "isakmp.tf.id.esn"}.get(t["type"], "isakmp.tf.id")
                c.check_uint(tw + " ID", t["id"], tf, idname)
                check_attrs(c, tw, t["attrs"], tf, "isakmp.ike2.attr")
            else:
                c.check_uint(tw + " number", t["num"], tf, "isakmp.trans.number")
                c.check_uint(tw + " ID", t["id"], tf, "isakmp.trans.id")
                # Phase 1 (protocol ISAKMP) attributes are "IKE" attributes,
                # everything else IPsec DOI ones (RFC 2407 §4.5).
                an = "isakmp.ike.attr" if p["protocol"] == 1 else "isakmp.ipsec.attr"
                check_attrs(c, tw, t["attrs"], tf, an)


def check_id(c, pl, f, version):
    c.check_uint("ID type", pl["id_type"], f, "isakmp.id.type")
    if version == 1:
        c.check_uint("ID protocol", pl["protocol"], f, "isakmp.id.protoid")
        c.check_uint("ID port", pl["port"], f, "isakmp.id.port")
    try:
        data = c.one(f, "isakmp.id.data", "ID data")
    except Mismatch as e:
        c.fail(str(e))
        return
    c.eq("ID data", pl["data"], c.frame.region(data))
    t = pl["id_type"]
    if t == 1:
        c.check_show("ID IPv4 address", pl.get("ipv4"), data, "isakmp.id.data.ipv4_addr")
    elif t == 2 and "fqdn" in pl:  # mkpcap gives printable names only
        c.check_show("ID FQDN", pl.get("fqdn"), data, "isakmp.id.data.fqdn")
    elif t == 3 and "fqdn" in pl:
        c.check_show("ID RFC822/user FQDN", pl.get("fqdn"), data, "isakmp.id.data.user_fqdn")
    elif t == 5:
        c.check_show("ID IPv6 address", pl.get("ipv6"), data, "isakmp.id.data.ipv6_addr")
    elif t in (4, 6) and version == 1:
        # tshark shows a subnet as the address (in the *_addr field) and the
        # mask (in the *_subnet field).
        fam = "ipv4" if t == 4 else "ipv6"
        c.check_show("ID subnet address", pl.get(fam), data, "isakmp.id.data.%s_addr" % fam)
        c.check_show("ID subnet mask", pl.get(fam + "_2"), data, "isakmp.id.data.%s_subnet" % fam)
    elif t in (7, 8) and version == 1:
        fam = "ipv4" if t == 7 else "ipv6"
        c.check_show("ID range start", pl.get(fam), data, "isakmp.id.data.%s_range_start" % fam)
        c.check_show("ID range end", pl.get(fam + "_2"), data, "isakmp.id.data.%s_range_end" % fam)
    elif t == 11:
        c.check_hex("ID key ID", pl["data"], data, "isakmp.id.data.key_id")


def check_notify(c, pl, f, version):
    if version == 1:
        c.check_uint("notify DOI", pl["doi"], f, "isakmp.notify.doi")
    c.check_uint("notify protocol", pl["protocol"], f, "isakmp.notify.protoid")
    c.check_uint("notify SPI size", pl["spi_size"], f, "isakmp.spisize")
    c.check_uint("notify type", pl["notify_type"], f, "isakmp.notify.msgtype")
    if pl["spi_size"]:
        c.check_hex("notify SPI", pl["spi"], f, "isakmp.spi")
    else:
        c.eq("notify SPI fields", 0, len(fields(f, "isakmp.spi")))
    c.check_hex("notify data", pl["data"], f, "isakmp.notify.data")


def check_delete(c, pl, f, version):
    if version == 1:
        c.check_uint("delete DOI", pl["doi"], f, "isakmp.delete.doi")
    c.check_uint("delete protocol", pl["protocol"], f, "isakmp.delete.protoid")
    c.check_uint("delete SPI size", pl["spi_size"], f, "isakmp.spisize")
    c.check_uint("delete SPI count", pl["nspis"], f, "isakmp.spinum")
    c.eq("delete SPIs", pl["spis"], [x.get("value", "").lower() for x in fields(f, "isakmp.delete.spi")])


def check_ts(c, pl, f):
    sels = pl["selectors"]
    c.check_uint("number of TSs", len(sels), f, "isakmp.ts.number")
    shown = fields(f, "isakmp.ts.data")
    c.eq("selectors shown", len(sels), len(shown))
    for i, (s, sf) in enumerate(zip(sels, shown)):
        w = "TS %d" % (i + 1)
        c.check_uint(w + " type", s["type"], sf, "isakmp.ts.type")
        c.check_uint(w + " IP protocol", s["ip_proto"], sf, "isakmp.ts.protoid")
        if "start" in s:
            v6 = s["type"] == 8
            c.check_uint(w + " length", 8 + (32 if v6 else 8), sf, "isakmp.ts.selector_length")
            c.check_uint(w + " start port", s["start_port"], sf, "isakmp.ts.start_port")
            c.check_uint(w + " end port", s["end_port"], sf, "isakmp.ts.end_port")
            fam = "ipv6" if v6 else "ipv4"
            c.check_show(w + " start address", s["start"], sf, "isakmp.ts.start_" + fam)
            c.check_show(w + " end address", s["end"], sf, "isakmp.ts.end_" + fam)
        else:
            c.check_uint(w + " length", 4 + len(s["data"]) // 2, sf, "isakmp.ts.selector_length")


def check_cp(c, pl, f, version):
    c.check_uint("CFG type", pl["cfg_type"], f, "isakmp.cfg.type")
    if version == 1:
        c.check_uint("CFG identifier", pl["identifier"], f, "isakmp.cfg.identifier")
        check_attrs(c, "CFG", pl["attrs"], f, "isakmp.cfg.attr")
        return
    shown = fields(f, "isakmp.cfg.attr")
    c.eq("CFG attribute count", len(pl["attrs"]), len(shown))
    for i, (a, af) in enumerate(zip(pl["attrs"], shown)):
        w = "CFG attribute %d" % (i + 1)
        c.check_uint(w + " type", a["type"], af, "isakmp.cfg.attr.type")
        # IKEv2 has no TV form: the top bit is reserved (RFC 7296 §3.15.1).
        c.check_uint(w + " reserved bit", 0, af, "isakmp.cfg.attr.format")
        c.check_uint(w + " length", a["len"], af, "isakmp.cfg.attr.length")
        if a["len"]:
            c.check_hex(w + " value", a["data"], af, "isakmp.cfg.attr.value")


def check_eap(c, pl, f):
    found = protos(f, "eap")
    if len(found) != 1:
        c.fail("EAP: tshark shows %d EAP packets in the payload, expected 1" % len(found))
        return
    eap = found[0]
    c.check_uint("EAP code", pl["code"], eap, "eap.code")
    c.check_uint("EAP identifier", pl["identifier"], eap, "eap.id")
    c.check_uint("EAP length", pl["eap_length"], eap, "eap.len")
    hdr = "%02x%02x%04x" % (pl["code"], pl["identifier"], pl["eap_length"])
    if "eap_type" in pl:
        c.check_uint("EAP type", pl["eap_type"], eap, "eap.type")
        hdr += "%02x" % pl["eap_type"]
        if pl["eap_type"] == 1 and pl["data"]:  # Identity (RFC 3748 §5.1)
            ident = bytes.fromhex(pl["data"]).decode("utf-8", "replace")
            c.check_show("EAP identity", ident, eap, "eap.identity")
        elif pl["eap_type"] == 1:
            # An empty identity (the usual request): tshark adds no field.
            c.notes.add("eap-empty-identity")
            c.eq("EAP identity fields (empty identity)", 0, len(fields(eap, "eap.identity")))
        elif pl["eap_type"] == 4:  # MD5-Challenge (§5.4)
            d = bytes.fromhex(pl["data"])
            c.check_uint("EAP MD5 value size", d[0] if d else None, eap, "eap.md5.value_size")
            if d:
                c.check_hex("EAP MD5 value", d[1:1 + d[0]].hex(), eap, "eap.md5.value")
    else:
        c.eq("EAP type fields (none for this code)", 0, len(fields(eap, "eap.type")))
    # The whole EAP packet as tshark delimits it.
    c.eq("EAP packet", hdr + pl["data"], c.frame.region(eap))


def check_sk(c, pl, f):
    c.notes.add("sk-iv")
    iv = fields(f, "isakmp.enc.iv")
    data = fields(f, "isakmp.enc.data")
    icd = fields(f, "isakmp.enc.icd")
    if len(iv) != 1 or len(data) != 1:
        c.fail("SK: tshark shows %d IV and %d encrypted data fields, expected 1 each"
               % (len(iv), len(data)))
        return
    shown = iv[0].get("value", "").lower() + c.frame.region(data[0])
    shown += "".join(x.get("value", "").lower() for x in icd)
    c.eq("SK IV | ciphertext | ICV", pl["data"], shown)


def check_skf(c, pl, f):
    c.notes.add("skf-data")
    c.check_uint("SKF fragment number", pl["number"], f, "isakmp.frag.number")
    c.check_uint("SKF total fragments", pl["total"], f, "isakmp.frag.total")


def check_v1_frag(c, pl, f):
    c.check_uint("fragment ID", pl["frag_id"], f, "isakmp.frag.packetid")
    c.check_uint("fragment number", pl["number"], f, "isakmp.frag.seq")
    c.check_uint("fragment last flag", pl["frag_flags"], f, "isakmp.frag.last")
    reasm = fields(f, "isakmp.fragments")
    if not reasm:
        c.notes.add("v1-frag-data")
        return
    # The frame that completes the message: tshark lists every fragment
    # (frame number and data) and the reassembled length.
    parts = fields(reasm[0], "isakmp.fragment")
    total = 0
    whole = b""
    for k, part in enumerate(parts):
        num = to_int(part)
        other = c.frames_by_number.get(num)
        frag = [p for p in other["payloads"] if p["type"] == 132] if other else []
        if len(frag) != 1:
            c.fail("reassembled fragment %d: tshark names frame %s, which osprey did not "
                   "build as an IKEv1 fragment" % (k + 1, num))
            continue
        c.eq("reassembled fragment %d (frame %s) ID" % (k + 1, num), pl["frag_id"], frag[0]["frag_id"])
        c.eq("reassembled fragment %d (frame %s) data" % (k + 1, num), frag[0]["data"],
             part.get("value", "").lower())
        total += len(frag[0]["data"]) // 2
        whole += bytes.fromhex(frag[0]["data"])
    c.eq("reassembled fragment count", pl["number"], len(parts))
    c.check_uint("reassembled length", total, reasm[0], "isakmp.reassembled.length")
    inner = protos(f, "isakmp")
    if inner:
        c.notes.add("v1-reassembled")
        # RFC 2408 §3.1: a message starts with a header of major version 1
        # whose length field is the message's length.
        if not (len(whole) >= 28 and whole[17] >> 4 == 1
                and int.from_bytes(whole[24:28], "big") == len(whole)):
            c.reassembled_not_a_message = True


def check_cert(c, pl, f, version, request):
    if request:
        c.check_uint("CERTREQ encoding", pl["encoding"], f, "isakmp.certreq.type")
        # tshark splits an IKEv2 X.509 CERTREQ into 20-byte CA key hashes
        # (RFC 7296 §3.7); IKEv1 CAs are DER names it hands to the X.509
        # dissector: compare the bytes after the encoding octet then.
        auth = fields(f, "isakmp.ike.certreq.authority")
        if auth:
            c.eq("CERTREQ certification authorities", pl["data"],
                 "".join(a.get("value", "").lower() for a in auth))
        else:
            start = int(c.one(f, "isakmp.certreq.type", "CERTREQ").get("pos")) + 1
            end = int(f.get("pos")) + int(f.get("size"))
            c.eq("CERTREQ data", pl["data"], c.frame.raw[start:end].hex())
        return
    c.check_uint("CERT encoding", pl["encoding"], f, "isakmp.cert.encoding")
    c.check_region("CERT data", pl["data"], f, "isakmp.cert.data")


def check_auth(c, pl, f):
    c.check_uint("AUTH method", pl["method"], f, "isakmp.auth.method")
    c.check_hex("AUTH data", pl["data"], f, "isakmp.auth.data")
    if pl["method"] == 14:
        # Digital signature (RFC 7427 §3): tshark also splits the data into
        # the ASN.1 length, the AlgorithmIdentifier and the signature value.
        d = bytes.fromhex(pl["data"])
        n = d[0] if d else 0
        try:
            sig = c.one(f, "isakmp.auth.data", "AUTH")
        except Mismatch as e:
            c.fail(str(e))
            return
        c.check_uint("AUTH ASN.1 length", n, sig, "isakmp.auth.data.sig.asn1.len")
        c.check_hex("AUTH AlgorithmIdentifier", d[1:1 + n].hex(), sig, "isakmp.auth.data.sig.asn1.data")
        c.check_hex("AUTH signature value", d[1 + n:].hex(), sig, "isakmp.auth.data.sig.value")


def check_payload_v2(c, pl, f):
    t = pl["type"]
    c.check_uint("critical bit", int(pl["critical"]), f, "isakmp.criticalpayload")
    if t == 33:
        check_proposals(c, pl, f, 2)
    elif t == 34:
        c.check_uint("KE group", pl["group"], f, "isakmp.key_exchange.dh_group")
        c.check_hex("KE data", pl["data"], f, "isakmp.key_exchange.data")
    elif t in (35, 36):
        check_id(c, pl, f, 2)
    elif t in (37, 38):
        check_cert(c, pl, f, 2, t == 38)
    elif t == 39:
        check_auth(c, pl, f)
    elif t == 40:
        c.check_hex("nonce", pl["data"], f, "isakmp.nonce")
    elif t == 41:
        check_notify(c, pl, f, 2)
    elif t == 42:
        check_delete(c, pl, f, 2)
    elif t == 43:
        c.check_hex("vendor ID", pl["data"], f, "isakmp.vid_bytes")
    elif t in (44, 45):
        check_ts(c, pl, f)
    elif t == 46:
        check_sk(c, pl, f)
    elif t == 47:
        check_cp(c, pl, f, 2)
    elif t == 48:
        check_eap(c, pl, f)
    elif t == 53:
        check_skf(c, pl, f)
    else:
        check_unknown(c, pl, f)


def check_payload_v1(c, pl, f):
    t = pl["type"]
    if t == 1:
        c.check_uint("SA DOI", pl["doi"], f, "isakmp.sa.doi")
        c.eq("SA situation", pl["situation"], int(c.hexval(f, "isakmp.sa.situation", "SA") or "0", 16))
        check_proposals(c, pl, f, 1)
    elif t == 4:
        c.check_hex("KE data", pl["data"], f, "isakmp.key_exchange.data")
    elif t == 5:
        check_id(c, pl, f, 1)
    elif t in (6, 7):
        check_cert(c, pl, f, 1, t == 7)
    elif t == 8:
        c.check_hex("hash", pl["data"], f, "isakmp.hash")
    elif t == 9:
        c.check_hex("signature", pl["data"], f, "isakmp.sig")
    elif t == 10:
        c.check_hex("nonce", pl["data"], f, "isakmp.nonce")
    elif t == 11:
        check_notify(c, pl, f, 1)
    elif t == 12:
        check_delete(c, pl, f, 1)
    elif t == 13:
        c.check_hex("vendor ID", pl["data"], f, "isakmp.vid_bytes")
    elif t == 14:
        check_cp(c, pl, f, 1)
    elif t in (20, 130):
        c.check_hex("NAT-D hash", pl["data"], f, "isakmp.ike.nat_hash")
    elif t in (21, 131):
        c.check_uint("NAT-OA ID type", pl["id_type"], f, "isakmp.id.type")
        name = "isakmp.ike.nat_original_address_" + ("ipv6" if ":" in pl["addr"] else "ipv4")
        c.check_show("NAT-OA address", pl["addr"], f, name)
    elif t == 132:
        check_v1_frag(c, pl, f)
    else:
        check_unknown(c, pl, f)


def check_unknown(c, pl, f):
    """A payload type neither side models: the body as tshark shows it."""
    body = fields(f, "isakmp.datapayload")
    if body:
        c.eq("payload body", pl["body"], "".join(b.get("value", "").lower() for b in body))
    else:
        start = int(c.one(f, "isakmp.payloadlength", "payload").get("pos")) + 2
        end = int(f.get("pos")) + int(f.get("size"))
        c.eq("payload body", pl["body"], c.frame.raw[start:end].hex())


def check_chain(c, isakmp, fr):
    v = fr["version"]
    shown = fields(isakmp, "isakmp.typepayload")
    want = fr["payloads"]
    c.eq("payload chain", [p["type"] for p in want], [to_int(p) for p in shown])
    if len(shown) != len(want):
        return
    for i, (pl, f) in enumerate(zip(want, shown)):
        before = len(c.errors)
        c.check_uint("next payload", pl["next"], f, "isakmp.nextpayload")
        c.check_uint("payload length", pl["length"], f, "isakmp.payloadlength")
        # The payload as a whole: tshark's extent of it is the bytes osprey built.
        c.eq("payload size", pl["length"], int(f.get("size", "-1")))
        try:
            (check_payload_v2 if v == 2 else check_payload_v1)(c, pl, f)
        except Mismatch as e:
            c.fail(str(e))
        names = V1_NAMES if v == 1 else {**V2_REQUIRED}
        for k in range(before, len(c.errors)):
            c.errors[k] = "payload %d (%s): %s" % (i + 1, names.get(pl["type"], pl["type"]),
                                                  c.errors[k])


def check_frame(fr, frame, frames_by_number):
    c = Checker(frame, frames_by_number)
    c.eq("frame number", fr["frame"], frame.number())
    ip = "ipv6" if fr["ip"] == 6 else "ip"
    if ip not in frame.layers:
        c.fail("tshark does not see an IPv%d packet" % fr["ip"])
        return c
    for layer, name in ((ip, "ip.checksum.status" if ip == "ip" else None),
                        ("udp", "udp.checksum.status")):
        if name:
            st = fields(frame.layers[layer], name)
            c.eq(name + " (1 = good)", 1, to_int(st[0]) if st else None)
    udp = frame.layers.get("udp")
    if udp is None:
        c.fail("tshark does not see a UDP datagram")
        return c
    c.check_uint("UDP source port", fr["port"], udp, "udp.srcport")
    c.check_uint("UDP destination port", fr["port"], udp, "udp.dstport")
    encap = frame.layers.get("udpencap")
    if fr["kind"] == "keepalive":
        c.eq("NAT-keepalive", 1, len(fields(encap, "udpencap.nat_keepalive")) if encap is not None else 0)
        c.eq("no IKE message", False, "isakmp" in frame.layers)
        return c
    c.eq("non-ESP marker", int(fr["non_esp_marker"]),
         len(fields(encap, "udpencap.non_esp_marker")) if encap is not None else 0)
    isakmp = frame.layers.get("isakmp")
    if isakmp is None:
        c.fail("tshark does not see an ISAKMP message")
        return c
    check_header(c, isakmp, fr)
    if "encrypted" in fr:
        enc = fields(isakmp, "isakmp.enc.data")
        if len(enc) != 1:
            c.fail("tshark shows %d encrypted data fields, expected 1" % len(enc))
        else:
            c.eq("encrypted body", fr["encrypted"], frame.region(enc[0]))
        c.eq("payloads shown in an encrypted message", 0, len(fields(isakmp, "isakmp.typepayload")))
    else:
        check_chain(c, isakmp, fr)
    return c


def summary(fr):
    if fr["kind"] == "keepalive":
        return "NAT-keepalive on UDP 4500"
    parts = ["IKEv%d" % fr["version"], "IPv%d" % fr["ip"], "UDP %d" % fr["port"]]
    if fr["non_esp_marker"]:
        parts.append("non-ESP marker")
    if "encrypted" in fr:
        parts.append("header + encrypted body")
    else:
        names = V1_NAMES if fr["version"] == 1 else V2_REQUIRED
        parts.append("[%s]" % " ".join(str(names.get(p["type"], p["type"])) for p in fr["payloads"]))
    return ", ".join(parts)


# ---------------------------------------------------------------------------
# Expert information and coverage
# ---------------------------------------------------------------------------

def expert_problems(frame):
    """tshark's malformed markers and its expert infos of severity warning or
    above (a checksum, a length, a field it could not read), as a list of
    (fatal, text). Warnings of the Security group judge the protocol a
    message uses (EAP-MD5 "vulnerable to MITM attacks"), not whether the
    message is well formed: they are reported, not counted as failures."""
    out = []
    for e in walk(frame.packet):
        name = e.get("name")
        if e.tag == "proto" and name == "_ws.malformed":
            out.append((True, "malformed packet: %s" % e.get("showname")))
        elif e.tag == "field" and name == "_ws.expert":
            sev = [to_int(x) for x in fields(e, "_ws.expert.severity")]
            grp = [to_int(x) for x in fields(e, "_ws.expert.group")]
            msg = [x.get("show") for x in fields(e, "_ws.expert.message")]
            if not sev or sev[0] is None or sev[0] < SEV_WARN:
                continue
            text = "%s: %s" % ("error" if sev[0] >= SEV_ERROR else "warning",
                               msg[0] if msg else e.get("showname"))
            security = bool(grp) and grp[0] == GROUP_SECURITY
            out.append((sev[0] >= SEV_ERROR or not security, text))
    return out


def coverage(frames):
    v2, v1 = set(), set()
    for fr in frames:
        if fr["kind"] != "ike" or "encrypted" in fr:
            continue
        for p in fr["payloads"]:
            if fr["version"] == 2:
                v2.add(p["type"])
            else:
                v1.add(p["type"])
                if p["type"] == 1 and p.get("proposals"):
                    v1.add(2)
                    if any(pr["transforms"] for pr in p["proposals"]):
                        v1.add(3)
    return v2, v1


# ---------------------------------------------------------------------------

def find_tshark(arg):
    for cand in (arg, os.environ.get("TSHARK"), shutil.which("tshark")):
        if cand and os.path.isfile(cand) and os.access(cand, os.X_OK):
            return cand
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tshark", help="the tshark to run (default: $TSHARK, then PATH)")
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="print every compared field as a TAP comment")
    ap.add_argument("pcap")
    ap.add_argument("json")
    args = ap.parse_args()

    Checker.verbose = args.verbose
    tshark = find_tshark(args.tshark)
    if not tshark:
        print("1..0 # SKIP tshark not installed (apt-get install tshark)")
        return 0

    with open(args.json, encoding="utf-8") as f:
        model = json.load(f)
    frames = model["frames"]
    raw = read_pcap(args.pcap)

    # -n: no name resolution; checksums verified so a bad one is an expert
    # error. stderr carries tshark's "running as root" chatter: ignored
    # unless tshark fails.
    cmd = [tshark, "-n", "-r", args.pcap, "-T", "pdml",
           "-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE"]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if proc.returncode != 0:
        print("1..1")
        print("not ok 1 - tshark failed (exit %d): %s"
              % (proc.returncode, proc.stderr.decode("utf-8", "replace").strip()))
        return 1
    packets = [p for p in ET.fromstring(proc.stdout) if p.tag == "packet"]
    version = subprocess.run([tshark, "--version"], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL).stdout.decode("utf-8", "replace")
    print("# %s" % (version.splitlines()[0] if version else tshark))
    print("# %s: %d frames; %s: %d frames" % (os.path.basename(args.pcap), len(raw),
                                             os.path.basename(args.json), len(frames)))

    # The plan comes last: the number of checks depends on what tshark did.
    n = 0
    failed = 0
    total_fields = 0
    notes = set()
    experts, todo_experts, info_experts = [], [], []
    by_number = {fr["frame"]: fr for fr in frames}
    for fr in frames:
        n += 1
        label = "frame %d %s" % (fr["frame"], fr["name"])
        idx = fr["frame"] - 1
        if idx >= len(packets) or idx >= len(raw):
            print("not ok %d - %s: tshark shows no such frame (it read %d)" % (n, label, len(packets)))
            failed += 1
            continue
        frame = Frame(packets[idx], raw[idx])
        try:
            c = check_frame(fr, frame, by_number)
        except Exception as e:  # a bug here must not hide the other frames
            failed += 1
            print("not ok %d - %s: compare.py failed: %s: %s" % (n, label, type(e).__name__, e))
            continue
        total_fields += c.count
        notes |= c.notes
        for fatal, p in expert_problems(frame):
            if not fatal:
                info_experts.append("%s: %s" % (label, p))
            elif c.reassembled_not_a_message:
                todo_experts.append("%s: %s" % (label, p))
            else:
                experts.append("%s: %s" % (label, p))
        if c.errors:
            failed += 1
            print("not ok %d - %s: %d of %d fields differ: %s"
                  % (n, label, len(c.errors), c.count, "; ".join(c.errors)))
        else:
            print("ok %d - %s: %d fields agree (%s)" % (n, label, c.count, summary(fr)))

    n += 1
    if len(packets) != len(frames):
        experts.append("tshark read %d frames, mkpcap wrote %d" % (len(packets), len(frames)))
    if experts:
        failed += 1
        print("not ok %d - tshark expert infos: %s" % (n, "; ".join(experts)))
    else:
        print("ok %d - tshark reports no malformed packet and no expert warning or error in %d frames%s"
              % (n, len(packets), " (outside the reassembled test data below)" if todo_experts else ""))
    for p in info_experts:
        print("# tshark expert info, not a defect of the message: %s" % p)
    if todo_experts:
        # Not osprey's bytes: the message tshark reassembled from the
        # catalogue's IKEv1 fragments is their opaque test data, which is no
        # ISAKMP message. Turns into a strict check (above) as soon as the
        # catalogue fragments a real message.
        n += 1
        print("not ok %d - tshark expert infos in the message it reassembled from IKEv1 fragments: %s"
              " # TODO the catalogue's fragment data is not an ISAKMP message"
              % (n, "; ".join(todo_experts)))

    n += 1
    v2, v1 = coverage(frames)
    messages = len({fr["name"].split("@")[0] for fr in frames if fr["kind"] == "ike"})
    problems = []
    if messages < MIN_MESSAGES:
        problems.append("only %d distinct messages, want %d" % (messages, MIN_MESSAGES))
    miss2 = [V2_REQUIRED[t] for t in sorted(V2_REQUIRED) if t not in v2]
    if miss2:
        problems.append("IKEv2 payload types never compared: %s" % " ".join(miss2))
    miss1 = [V1_NAMES[t] for t in sorted(V1_REQUIRED) if t not in v1]
    if miss1:
        problems.append("IKEv1 payload types never compared: %s" % " ".join(miss1))
    if problems:
        failed += 1
        print("not ok %d - coverage: %s" % (n, "; ".join(problems)))
    else:
        print("ok %d - coverage: %d distinct messages; IKEv2 payloads %s; IKEv1 payloads %s"
              % (n, messages, " ".join(V2_REQUIRED[t] for t in sorted(V2_REQUIRED)),
                 " ".join(V1_NAMES[t] for t in sorted(v1) if t in V1_NAMES)))

    print("1..%d" % n)
    for k in sorted(notes):
        print("# tshark quirk: %s" % QUIRKS[k])
    ike = sum(1 for fr in frames if fr["kind"] == "ike")
    print("# %d frames compared (%d IKE messages), %d fields, %.1f fields per frame on average"
          % (len(frames), ike, total_fields, total_fields / max(len(frames), 1)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
