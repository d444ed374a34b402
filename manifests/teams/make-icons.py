#!/usr/bin/env python3
"""Draws the Teams app icons (standard library only): color.png 192x192 and outline.png 32x32.

color.png: a speech bubble in white on the accent colour, the symbol about 96 px with the rest as padding.
outline.png: the same bubble in pure white on a fully transparent background, as Teams requires.
Run from any folder: python3 manifests/teams/make-icons.py
"""
import os
import struct
import zlib

ACCENT = (0x4F, 0x6B, 0xED)
HERE = os.path.dirname(os.path.abspath(__file__))


def bubble(x, y, size):
    """True where the speech bubble covers pixel (x, y) of a size x size canvas (symbol scaled to the canvas)."""
    u, v = (x + 0.5) / size, (y + 0.5) / size
    # rounded rectangle body
    left, top, right, bottom, r = 0.08, 0.12, 0.92, 0.72, 0.16
    cx = min(max(u, left + r), right - r)
    cy = min(max(v, top + r), bottom - r)
    body = (u - cx) ** 2 + (v - cy) ** 2 <= r * r and left <= u <= right and top <= v <= bottom
    # tail: a triangle below the body, towards the lower left
    tail = 0.72 <= v <= 0.92 and 0.22 <= u <= 0.22 + (0.92 - v) * 1.2
    return body or tail


def png(path, width, height, pixel):
    rows = b"".join(b"\x00" + b"".join(bytes(pixel(x, y)) for x in range(width)) for y in range(height))
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def color(x, y):
    inner = 48  # padding around the ~96 px symbol
    if inner <= x < 192 - inner and inner <= y < 192 - inner and bubble(x - inner, y - inner, 96):
        return (255, 255, 255, 255)
    return ACCENT + (255,)


def outline(x, y):
    return (255, 255, 255, 255) if bubble(x, y, 32) else (0, 0, 0, 0)


png(os.path.join(HERE, "color.png"), 192, 192, color)
png(os.path.join(HERE, "outline.png"), 32, 32, outline)
print("wrote color.png (192x192) and outline.png (32x32)")
