#!/usr/bin/env python3
"""Regenerates docs/bucketing-vectors.json, independently of the Java implementation.

Run from the repository root:

    python3 docs/tools/bucketing_vectors.py            # rewrite docs/bucketing-vectors.json
    python3 docs/tools/bucketing_vectors.py --check    # fail if the file differs

MurmurHash3 x86 32-bit is written out below from Austin Appleby's reference (MurmurHash3.cpp,
MurmurHash3_x86_32) and checked against well-known published test values before any vector is
written. The md5 compatibility algorithm is the Python snippet itself, run by Python.
"""

import hashlib
import json
import os
import sys

MASK32 = 0xFFFFFFFF


def _rotl32(x, r):
    return ((x << r) | (x >> (32 - r))) & MASK32


def murmur3_x86_32(data: bytes, seed: int = 0) -> int:
    """MurmurHash3_x86_32 of data, as an unsigned 32-bit int."""
    c1, c2 = 0xCC9E2D51, 0x1B873593
    h1 = seed & MASK32
    n = len(data)
    nblocks = n // 4
    for i in range(nblocks):
        k1 = int.from_bytes(data[4 * i:4 * i + 4], "little")
        k1 = (k1 * c1) & MASK32
        k1 = _rotl32(k1, 15)
        k1 = (k1 * c2) & MASK32
        h1 ^= k1
        h1 = _rotl32(h1, 13)
        h1 = (h1 * 5 + 0xE6546B64) & MASK32
    tail = data[4 * nblocks:]
    k1 = 0
    if len(tail) >= 3:
        k1 ^= tail[2] << 16
    if len(tail) >= 2:
        k1 ^= tail[1] << 8
    if len(tail) >= 1:
        k1 ^= tail[0]
        k1 = (k1 * c1) & MASK32
        k1 = _rotl32(k1, 15)
        k1 = (k1 * c2) & MASK32
        h1 ^= k1
    h1 ^= n
    h1 ^= h1 >> 16
    h1 = (h1 * 0x85EBCA6B) & MASK32
    h1 ^= h1 >> 13
    h1 = (h1 * 0xC2B2AE35) & MASK32
    h1 ^= h1 >> 16
    return h1


# Published reference values of MurmurHash3_x86_32 (SMHasher / widely quoted test vectors).
REFERENCE = [
    (b"", 0, 0x00000000),
    (b"", 1, 0x514E28B7),
    (b"", 0xFFFFFFFF, 0x81F16F39),
    (b"\x00\x00\x00\x00", 0, 0x2362F9DE),
    (b"\xff\xff\xff\xff", 0, 0x76293B50),
    (b"\x21\x43\x65\x87", 0, 0xF55B516B),
    (b"\x21\x43\x65\x87", 0x5082EDEE, 0x2362F9DE),
    (b"\x21\x43\x65", 0, 0x7E4A8634),
    (b"\x21\x43", 0, 0xA0F7B07A),
    (b"\x21", 0, 0x72661CF4),
    (b"\x00\x00\x00", 0, 0x85F0B427),
    (b"\x00\x00", 0, 0x30F4C306),
    (b"\x00", 0, 0x514E28B7),
    (b"aaaa", 0x9747B28C, 0x5A97808A),
    (b"aaa", 0x9747B28C, 0x283E0130),
    (b"aa", 0x9747B28C, 0x5D211726),
    (b"a", 0x9747B28C, 0x7FA09EA6),
    (b"abcd", 0x9747B28C, 0xF0478627),
    (b"abc", 0x9747B28C, 0xC84A62DD),
    (b"ab", 0x9747B28C, 0x74875592),
    (b"Hello, world!", 0x9747B28C, 0x24884CBA),
    ("ππππππππ".encode("utf-8"), 0x9747B28C, 0xD58063C1),
    (b"a" * 256, 0x9747B28C, 0x37405BDC),
    (b"The quick brown fox jumps over the lazy dog", 0x9747B28C, 0x2FA826CD),
    (b"The quick brown fox jumps over the lazy dog", 0, 0x2E4FF723),
]


def utf8(s: str) -> bytes:
    # 'replace' turns an unpaired surrogate into '?', exactly like Java's String.getBytes(UTF_8).
    return s.encode("utf-8", "replace")


def murmur3_v1(salt: str, value: str):
    h = murmur3_x86_32(utf8(salt) + b"." + utf8(value), 0)
    return h, h % 100000


def md5_percent_compat(salt: str, value: str):
    # The snippet: int(md5(f"{user_id}-{feature_name}").hexdigest(), 16) % 100 < percentage
    user_id, feature_name = value, salt
    hexdigest = hashlib.md5(utf8(f"{user_id}-{feature_name}")).hexdigest()
    return hexdigest, (int(hexdigest, 16) % 100) * 1000


def cases():
    """(flag, salt, value) triples; the salt is the flag key unless a flag sets its own."""
    out = []
    flag = "new_checkout_flow"
    for i in range(1, 21):
        out.append((flag, flag, f"user-{i}"))
    for v in ["0", "1", "42", "007", "1234567890", "18446744073709551616", "-1", "3.14"]:
        out.append(("beta.search-v2", "beta.search-v2", v))
    for v in ["a", "A", " ", "  leading", "trailing  ", "tab\there", "line\nbreak",
              "quote\"and\\backslash", "user@example.com", "550e8400-e29b-41d4-a716-446655440000",
              "tenant:acme/eu-west-1", "x" * 300, "0123456789abcdef" * 16]:
        out.append(("ui_redesign", "ui_redesign", v))
    for v in ["jürgen", "Zoë", "日本語ユーザー", "пользователь", "مستخدم", "😀", "user-🚀-42",
              "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "e\u0301", "\u00e9", "\u0000nul", "\uffff", "\U0010FFFF"]:
        out.append(("i18n.greeting", "i18n.greeting", v))
    # Salts that differ from the flag key: re-salting reshuffles who is in a rollout.
    for salt, v in [("checkout-2026-q1", "user-1"), ("checkout-2026-q1", "user-2"),
                    ("checkout-2026-q2", "user-1"), ("checkout-2026-q2", "user-2"),
                    ("", "user-1"), (".", "user-1"), ("salt.with.dots", "user-1"),
                    ("späť", "user-1"), ("🧂", "user-1"), ("s" * 200, "user-1")]:
        out.append(("new_checkout_flow", salt, v))
    for t in ["acme", "globex", "initech", "umbrella", "hooli"]:
        out.append(("b2b-billing", "b2b-billing", t))
    return out


def vectors():
    out = []
    for flag, salt, value in cases():
        h, b = murmur3_v1(salt, value)
        out.append({"algorithm": "murmur3-v1", "flag": flag, "salt": salt, "value": value,
                    "hash": h, "bucket": b})
    for flag, salt, value in cases():
        md5hex, b = md5_percent_compat(salt, value)
        out.append({"algorithm": "md5-percent-compat", "flag": flag, "salt": salt, "value": value,
                    "md5": md5hex, "bucket": b})
    return out


def render(vs):
    # One vector per line: diffs stay readable and any JSON reader can load the file.
    lines = [json.dumps(v, ensure_ascii=False) for v in vs]
    return "[\n  " + ",\n  ".join(lines) + "\n]\n"


def main():
    for data, seed, expected in REFERENCE:
        got = murmur3_x86_32(data, seed)
        if got != expected:
            sys.exit(f"murmur3 self-check failed for {data!r} seed {seed:#x}: {got:#010x} != {expected:#010x}")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    path = os.path.join(root, "bucketing-vectors.json")
    text = render(vectors())
    if "--check" in sys.argv[1:]:
        with open(path, encoding="utf-8") as f:
            if f.read() != text:
                sys.exit(f"{path} is out of date: run python3 docs/tools/bucketing_vectors.py")
        print(f"{path} is up to date")
        return
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    print(f"wrote {len(vectors())} vectors to {path}")


if __name__ == "__main__":
    main()
