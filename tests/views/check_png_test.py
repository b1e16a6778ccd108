#!/usr/bin/env python3
"""check_png.py must fail a blank screenshot and pass a drawn one, in every PNG row filter."""
import os
import struct
import subprocess
import sys
import tempfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))


def encode(rows, width, filter_type):
    """An RGB PNG whose rows all use one filter type (the checker must undo each)."""
    raw, previous = b"", bytes(width * 3)
    for row in rows:
        out = bytearray()
        for i, byte in enumerate(row):
            left = row[i - 3] if i >= 3 else 0
            up = previous[i]
            up_left = previous[i - 3] if i >= 3 else 0
            if filter_type == 0:
                pred = 0
            elif filter_type == 1:
                pred = left
            elif filter_type == 2:
                pred = up
            elif filter_type == 3:
                pred = (left + up) >> 1
            else:
                p = left + up - up_left
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - up_left)
                pred = left if pa <= pb and pa <= pc else up if pb <= pc else up_left
            out.append((byte - pred) & 0xFF)
        raw += bytes([filter_type]) + bytes(out)
        previous = row

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, len(rows), 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def run(png, *args):
    with tempfile.NamedTemporaryFile(suffix=".png", delete=False) as f:
        f.write(png)
    try:
        return subprocess.run([sys.executable, os.path.join(HERE, "check_png.py"), f.name, *args],
                              capture_output=True, text=True).returncode
    finally:
        os.unlink(f.name)


def main():
    width, height = 64, 48
    blank = [bytes([255] * width * 3) for _ in range(height)]
    drawn = []
    for y in range(height):
        row = bytearray()
        for x in range(width):
            if 10 <= y < 20 and x < 40:
                row += bytes([0x17, 0x69, 0x2C])  # the pass colour
            elif 25 <= y < 30:
                row += bytes([(x * 4) & 0xFF, (y * 8) & 0xFF, 0x80])  # a gradient: many colours
            else:
                row += b"\xff\xff\xff"
        drawn.append(bytes(row))
    failures = []
    for filter_type in range(5):
        if run(encode(blank, width, filter_type)) != 1:
            failures.append(f"a blank image passes (filter {filter_type})")
        if run(encode(drawn, width, filter_type), "--colour", "pass=#17692c") != 0:
            failures.append(f"a drawn image fails (filter {filter_type})")
        if run(encode(drawn, width, filter_type), "--colour", "fail=#b00020") != 1:
            failures.append(f"a missing colour passes (filter {filter_type})")
    if run(b"not a png") != 2:
        failures.append("a file that is not a PNG does not exit 2")
    for f in failures:
        print("FAIL:", f)
    print("check_png.py:", "ok" if not failures else f"{len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
