#!/usr/bin/env python3
"""Writes a zip archive for the tests, with the standard library only: entries stored or deflated, optionally
encrypted with PKWARE's traditional encryption (ZipCrypto, APPNOTE 6.1), which Python's zipfile can read but not
write. Hostile variants on request: a wrong CRC, a symbolic link, a declared size other than the real one.

    python3 make_zip.py SPEC.json      # SPEC: {"path": OUT, "entries": [ENTRY, ...]}

ENTRY keys: name; text (UTF-8) or file (a path to read) or zeros (that many zero bytes); password (encrypt);
method (8 deflate, default; 0 stored); descriptor (true: flag bit 3, CRC and sizes after the data, password check
byte from the time, as Info-ZIP writes encrypted entries); symlink (true: Unix mode 0o120777); declared_size
(the uncompressed size written in the headers); crc_xor (XORed into the recorded CRC-32's low byte: a damaged
entry whose password check still passes).
"""
import json
import os
import struct
import sys
import zlib

TIME, DATE = 0x6B2C, 0x5A21  # 2025-01-01 13:25:24, fixed so archives are reproducible


class ZipCrypto:
    def __init__(self, password):
        self.keys = [0x12345678, 0x23456789, 0x34567890]
        for byte in password:
            self.update(byte)

    @staticmethod
    def crc(value, byte):
        return zlib.crc32(bytes([byte]), value ^ 0xFFFFFFFF) ^ 0xFFFFFFFF

    def update(self, byte):
        k0, k1, k2 = self.keys
        k0 = self.crc(k0, byte)
        k1 = ((k1 + (k0 & 0xFF)) * 134775813 + 1) & 0xFFFFFFFF
        k2 = self.crc(k2, k1 >> 24)
        self.keys = [k0, k1, k2]

    def encrypt(self, data):
        out = bytearray()
        for plain in data:
            temp = (self.keys[2] | 2) & 0xFFFF
            out.append(plain ^ (((temp * (temp ^ 1)) >> 8) & 0xFF))
            self.update(plain)
        return bytes(out)


def main():
    spec = json.load(open(sys.argv[1]))
    body = bytearray()
    directory = bytearray()
    for index, entry in enumerate(spec["entries"]):
        if "text" in entry:
            data = entry["text"].encode("utf-8")
        elif "file" in entry:
            data = open(entry["file"], "rb").read()
        else:
            data = bytes(entry.get("zeros", 0))
        name = entry["name"].encode("utf-8")
        method = entry.get("method", 8)
        crc = zlib.crc32(data) ^ entry.get("crc_xor", 0)
        if method == 8:
            compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
            payload = compressor.compress(data) + compressor.flush()
        else:
            payload = data
        flags = 0x800  # UTF-8 names
        descriptor = entry.get("descriptor", False)
        if descriptor:
            flags |= 0x8
        if "password" in entry:
            flags |= 0x1
            check = (TIME >> 8) & 0xFF if descriptor else (crc >> 24) & 0xFF
            header = bytes((index * 37 + i * 11 + 5) & 0xFF for i in range(11)) + bytes([check])
            payload = ZipCrypto(entry["password"].encode("utf-8")).encrypt(header + payload)
        size = entry.get("declared_size", len(data))
        offset = len(body)
        local_crc, local_compressed, local_size = (0, 0, 0) if descriptor else (crc, len(payload), size)
        body += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flags, method, TIME, DATE, local_crc, local_compressed,
                            local_size, len(name), 0) + name + payload
        if descriptor:
            body += struct.pack("<IIII", 0x08074B50, crc, len(payload), size)
        mode = 0o120777 if entry.get("symlink") else 0o100644
        directory += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, (3 << 8) | 20, 20, flags, method, TIME, DATE, crc,
                                 len(payload), size, len(name), 0, 0, 0, 0, mode << 16, offset) + name
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(spec["entries"]), len(spec["entries"]), len(directory),
                      len(body), 0)
    with open(spec["path"], "wb") as out:
        out.write(bytes(body) + bytes(directory) + end)


if __name__ == "__main__":
    main()
