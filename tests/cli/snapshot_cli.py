#!/usr/bin/env python3
"""`b2b book --snapshot` and `--book SNAPSHOT` (SPEC §14).

usage: snapshot_cli.py B2B SOURCE_ROOT

Writes the sample book's snapshot with `b2b book --book DIR --snapshot
FILE` (same output as without --snapshot), then runs book, price, quote,
validate and lint with `--book DIR` and with `--book FILE`: the same
stdout byte for byte (the "book" field of book and lint names what was
given) and the same exit status. A truncated or corrupted snapshot is
exit 2 with one message naming the file; an unwritable --snapshot path
is exit 2. Standard library only.
"""
import os
import subprocess
import sys
import tempfile


def run(*args):
    p = subprocess.run(list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def main():
    b2b, root = sys.argv[1], sys.argv[2]
    book = os.path.join(root, "examples/data/book")
    data = os.path.join(root, "examples/data")
    fails = []
    with tempfile.TemporaryDirectory() as tmp:
        snap = os.path.join(tmp, "book.b2bsnap")
        rc0, out0, err0 = run(b2b, "book", "--book", book)
        rc1, out1, err1 = run(b2b, "book", "--book", book, "--snapshot", snap)
        if (rc0, out0, err0) != (rc1, out1, err1):
            fails.append("book --snapshot changes the output")
        if not os.path.isfile(snap):
            sys.exit("no snapshot written")
        cases = [
            ["book"],
            ["price", "--customer", "C-KRONE", "--sku", "NUT-M10-934", "--qty", "150",
             "--as-of", "2026-06-15"],
            ["price", "--customer", "C-BAUMANN", "--sku", "ANC-WEDGE-M10", "--qty", "25",
             "--as-of", "2026-03-01"],
            ["price", "--customer", "nobody", "--sku", "x", "--qty", "1",
             "--as-of", "2026-03-01"],
            ["quote", os.path.join(data, "quote_request.json")],
            ["validate", os.path.join(data, "orders/order_valid.json")],
            ["validate", os.path.join(data, "orders/order_invalid.json")],
            ["lint"],
        ]
        for c in cases:
            a = run(b2b, c[0], "--book", book, *c[1:])
            b = run(b2b, c[0], "--book", snap, *c[1:])
            if c[0] in ("book", "lint"):
                a = (a[0], a[1].replace(book, "BOOK"), a[2])
                b = (b[0], b[1].replace(snap, "BOOK"), b[2])
            if a[:2] != b[:2]:
                fails.append(f"{' '.join(c)}: directory and snapshot differ:\n{a}\n{b}")
        # the loyalty book: volume agreements and customer volumes (SPEC §10)
        loyal = os.path.join(data, "book-loyalty")
        lsnap = os.path.join(tmp, "loyalty.b2bsnap")
        run(b2b, "book", "--book", loyal, "--snapshot", lsnap)
        for c in [["book"],
                  ["price", "--customer", "C-KRONE", "--sku", "NUT-M10-934", "--qty", "150",
                   "--as-of", "2026-06-15"],
                  ["quote", os.path.join(data, "quote_request_loyalty.json")],
                  ["lint", "--as-of", "2026-12-31"]]:
            a = run(b2b, c[0], "--book", loyal, *c[1:])
            b = run(b2b, c[0], "--book", lsnap, *c[1:])
            if c[0] in ("book", "lint"):
                a = (a[0], a[1].replace(loyal, "BOOK"), a[2])
                b = (b[0], b[1].replace(lsnap, "BOOK"), b[2])
            if a[:2] != b[:2]:
                fails.append(f"loyalty {' '.join(c)}: directory and snapshot differ:\n{a}\n{b}")
        with open(snap, "rb") as f:
            raw = f.read()
        bad = os.path.join(tmp, "bad.b2bsnap")
        for name, content in [("truncated", raw[:len(raw) // 2]),
                              ("corrupted", raw[:5000] + bytes([raw[5000] ^ 0x10]) + raw[5001:])]:
            with open(bad, "wb") as f:
                f.write(content)
            rc, out, err = run(b2b, "price", "--book", bad, "--customer", "C-KRONE", "--sku",
                               "NUT-M10-934", "--qty", "1", "--as-of", "2026-06-15")
            want = "truncated" if name == "truncated" else "checksum mismatch"
            if rc != 2 or out or bad not in err or want not in err:
                fails.append(f"{name} snapshot: exit {rc}, stdout {out!r}, stderr {err!r}")
        rc, out, err = run(b2b, "book", "--book", book, "--snapshot",
                           os.path.join(tmp, "no/such/dir/x"))
        if rc != 2 or "cannot create" not in err:
            fails.append(f"unwritable --snapshot: exit {rc}, stderr {err!r}")
    for f in fails:
        print("FAIL:", f)
    print(f"{len(cases)} commands compared, {len(fails)} failures")
    sys.exit(1 if fails else 0)


if __name__ == "__main__":
    main()
