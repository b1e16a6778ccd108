#!/usr/bin/env python3
"""Two screenshots of one page at two steps of its step-through view must show different pictures:
decodes both PNGs (check_png.decode) and requires at least MIN pixels that differ.

usage: png_differ.py A.png B.png [--min-pixels 200]
Exit status 0 when they differ enough, 1 when not, 2 when a file cannot be read.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_png import PngError, decode  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("a")
    parser.add_argument("b")
    parser.add_argument("--min-pixels", type=int, default=200)
    args = parser.parse_args()
    try:
        wa, ha, ra = decode(args.a)
        wb, hb, rb = decode(args.b)
    except (OSError, PngError) as e:
        print(f"FAIL: {e}")
        return 2
    if (wa, ha) != (wb, hb):
        print(f"ok: the screenshots differ in size ({wa}x{ha} and {wb}x{hb})")
        return 0
    differ = 0
    for row_a, row_b in zip(ra, rb):
        if row_a == row_b:
            continue
        for i in range(0, len(row_a), 3):
            if row_a[i:i + 3] != row_b[i:i + 3]:
                differ += 1
    if differ < args.min_pixels:
        print(f"FAIL: {args.a} and {args.b} differ in {differ} pixels (at least {args.min_pixels} wanted)")
        return 1
    print(f"ok: {differ} pixels differ between {os.path.basename(args.a)} and {os.path.basename(args.b)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
