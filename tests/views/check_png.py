#!/usr/bin/env python3
"""Checks that a screenshot is not blank: decodes the PNG (zlib only, no imaging library) and
requires a share of non-background pixels, a number of distinct colours, and each named colour
(approximately: text is anti-aliased) on at least a few pixels.

usage: check_png.py FILE.png [--min-ink 0.02] [--min-colours 12] [--colour NAME=#rrggbb ...]
Exit status 0 when every check holds, 1 when one fails, 2 when the file is not a PNG it can read.
"""
import argparse
import struct
import sys
import zlib


class PngError(Exception):
    pass


def decode(path):
    """Returns (width, height, rows), rows a list of bytes objects of RGB triples."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise PngError("not a PNG file")
    pos, idat, header = 8, [], None
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    if header is None:
        raise PngError("no IHDR chunk")
    width, height, depth, colour_type, _, _, interlace = header
    channels = {2: 3, 6: 4}.get(colour_type)
    if depth != 8 or channels is None or interlace != 0:
        raise PngError(f"unsupported PNG: depth {depth}, colour type {colour_type}, interlace {interlace}")
    raw = zlib.decompress(b"".join(idat))
    stride = width * channels
    if len(raw) != height * (stride + 1):
        raise PngError("image data has the wrong size")
    rows, previous = [], bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        if kind == 1:
            for i in range(channels, stride):
                line[i] = (line[i] + line[i - channels]) & 0xFF
        elif kind == 2:
            for i in range(stride):
                line[i] = (line[i] + previous[i]) & 0xFF
        elif kind == 3:
            for i in range(stride):
                left = line[i - channels] if i >= channels else 0
                line[i] = (line[i] + ((left + previous[i]) >> 1)) & 0xFF
        elif kind == 4:
            for i in range(stride):
                a = line[i - channels] if i >= channels else 0
                b = previous[i]
                c = previous[i - channels] if i >= channels else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[i] = (line[i] + pred) & 0xFF
        elif kind != 0:
            raise PngError(f"unknown filter type {kind} in row {y}")
        previous = line
        if channels == 4:  # drop alpha: a screenshot is opaque
            line = bytearray(b for i, b in enumerate(line) if i % 4 != 3)
        rows.append(bytes(line))
    return width, height, rows


def parse_colour(text):
    name, _, value = text.partition("=")
    value = value.lstrip("#")
    if len(value) != 6:
        raise argparse.ArgumentTypeError(f"expected NAME=#rrggbb, got {text}")
    return name, tuple(int(value[i:i + 2], 16) for i in (0, 2, 4))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("png")
    parser.add_argument("--min-ink", type=float, default=0.02,
                        help="least share of pixels that differ from the background")
    parser.add_argument("--min-colours", type=int, default=12, help="least number of distinct colours")
    parser.add_argument("--colour", type=parse_colour, action="append", default=[],
                        help="NAME=#rrggbb that must appear (within a tolerance) on a few pixels")
    parser.add_argument("--tolerance", type=int, default=24, help="per channel, for --colour")
    parser.add_argument("--min-pixels", type=int, default=12, help="pixels each --colour needs")
    args = parser.parse_args()

    try:
        width, height, rows = decode(args.png)
    except (OSError, PngError, zlib.error) as e:
        print(f"{args.png}: {e}")
        return 2

    counts = {}
    for row in rows:
        for i in range(0, len(row), 3):
            px = row[i:i + 3]
            counts[px] = counts.get(px, 0) + 1
    total = width * height
    background, bg_count = max(counts.items(), key=lambda kv: kv[1])
    ink = 1 - bg_count / total
    failures = []
    print(f"{args.png}: {width}x{height}, background #{background.hex()}, "
          f"{ink:.1%} non-background pixels, {len(counts)} distinct colours")
    if ink < args.min_ink:
        failures.append(f"only {ink:.2%} of the pixels differ from the background (want >= {args.min_ink:.0%})")
    if len(counts) < args.min_colours:
        failures.append(f"only {len(counts)} distinct colours (want >= {args.min_colours})")
    for name, rgb in args.colour:
        near = sum(n for px, n in counts.items()
                   if all(abs(px[k] - rgb[k]) <= args.tolerance for k in range(3)))
        print(f"  {name} #{bytes(rgb).hex()}: {near} pixels")
        if near < args.min_pixels:
            failures.append(f"colour {name} #{bytes(rgb).hex()} on {near} pixels (want >= {args.min_pixels})")
    for f in failures:
        print(f"FAIL: {f}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
