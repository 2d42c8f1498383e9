"""Writes small classic pcap files (Ethernet, IPv4/IPv6, TCP) from a list
of segments, for the crafted scenarios of the tshark differential test."""
import struct

SYN, ACK, FIN, RST, PSH = 0x02, 0x10, 0x01, 0x04, 0x08


def _csum(data):
    if len(data) % 2:
        data += b'\0'
    s = sum(struct.unpack('!%dH' % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def tcp_frame(src, dst, sport, dport, seq, ack, flags, win, payload=b'', ws=None, mss=None, v6=False):
    opts = b''
    if mss is not None:
        opts += struct.pack('!BBH', 2, 4, mss)
    if ws is not None:
        opts += struct.pack('!BBBB', 1, 3, 3, ws)
    while len(opts) % 4:
        opts += b'\1'
    hlen = 20 + len(opts)
    tcp = struct.pack('!HHIIBBHHH', sport, dport, seq & 0xffffffff, ack & 0xffffffff,
                      (hlen // 4) << 4, flags, win, 0, 0) + opts + payload
    if v6:
        sa, da = bytes(16 - len(src)) + bytes(src), bytes(16 - len(dst)) + bytes(dst)
        ph = sa + da + struct.pack('!IxxxB', len(tcp), 6)
        tcp = tcp[:16] + struct.pack('!H', _csum(ph + tcp)) + tcp[18:]
        ip = struct.pack('!IHBB', 6 << 28, len(tcp), 6, 64) + sa + da
        eth = b'\x02\0\0\0\0\x02\x02\0\0\0\0\x01\x86\xdd'
    else:
        ph = bytes(src) + bytes(dst) + struct.pack('!BBH', 0, 6, len(tcp))
        tcp = tcp[:16] + struct.pack('!H', _csum(ph + tcp)) + tcp[18:]
        ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(tcp), 0, 0x4000, 64, 6, 0,
                         bytes(src), bytes(dst))
        ip = ip[:10] + struct.pack('!H', _csum(ip)) + ip[12:]
        eth = b'\x02\0\0\0\0\x02\x02\0\0\0\0\x01\x08\x00'
    return eth + ip + tcp


class Conn:
    """One client/server pair; c(...) and s(...) append a segment from the
    client or the server at time t (seconds). seq/ack are relative."""
    def __init__(self, frames, cport=40000, sport=80, cisn=1000, sisn=5000, v6=False):
        self.frames, self.cport, self.sport = frames, cport, sport
        self.cisn, self.sisn, self.v6 = cisn, sisn, v6
        self.ca = [192, 0, 2, 2] if not v6 else [0x20, 1, 0xd, 0xb8] + [0] * 11 + [2]
        self.sa = [192, 0, 2, 1] if not v6 else [0x20, 1, 0xd, 0xb8] + [0] * 11 + [1]

    def c(self, t, seq, ack, flags, win=1000, n=0, **kw):
        self.frames.append((t, tcp_frame(self.ca, self.sa, self.cport, self.sport,
                                         self.cisn + seq, self.sisn + ack if flags & ACK else 0,
                                         flags, win, b'x' * n, v6=self.v6, **kw)))

    def s(self, t, seq, ack, flags, win=1000, n=0, **kw):
        self.frames.append((t, tcp_frame(self.sa, self.ca, self.sport, self.cport,
                                         self.sisn + seq, self.cisn + ack if flags & ACK else 0,
                                         flags, win, b'y' * n, v6=self.v6, **kw)))


def write_pcap(path, frames):
    with open(path, 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for t, fr in frames:
            sec = int(t)
            usec = int(round((t - sec) * 1e6))
            f.write(struct.pack('<IIII', sec, usec, len(fr), len(fr)) + fr)
