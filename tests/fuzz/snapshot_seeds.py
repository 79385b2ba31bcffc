#!/usr/bin/env python3
"""Write the seed corpus of fuzz_snapshot (tests/fuzz/corpus/snapshot).

    python3 tests/fuzz/snapshot_seeds.py build/src/b2b

Snapshots store the records as they are in memory, so every change of a
record layout (B2B__SNAP_FORMAT) makes the old seeds refused at the header
and they exercise nothing: run this again then. The seeds are

  sample_book         the sample book (examples/data/book)
  loyalty_book        the loyalty book (examples/data/book-loyalty: volume
                      agreements, customer volumes)
  sample_first_rows   the sample book cut to the first 11 rows of each table
  two_products        a book of two products and nothing else
  truncated_header    the first 100 bytes of sample_book
and three regressions found by fuzzing, made again from the seeds above:
  regress_counts_vs_arrays       sample_book with the customers' table
                                 count of the meta record changed (8 -> 13)
  regress_pool_not_utf8          sample_book with pool byte 1 set to 0xff
  regress_section_count_message  sample_first_rows with the contract kinds
                                 section (49) counting 6 elements, not 3
"""
import os
import shutil
import struct
import subprocess
import sys
import tempfile

HEADER = 144
SETTINGS_BYTES = 80          # struct b2b__settings at the start of the meta record
TABLE_CUSTOMERS = 4          # B2B_TABLE_CUSTOMERS: counts[4] of the meta record


def sections(data):
    n = struct.unpack_from("<I", data, 32)[0]
    out = {}
    for i in range(n):
        kind, elem, count, off = struct.unpack_from("<HHIQ", data, HEADER + 16 * i)
        out[kind] = (i, elem, count, off)
    return out


def snapshot(b2b, book, path):
    subprocess.run([b2b, "book", "--book", book, "--snapshot", path], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(path, "rb") as f:
        return f.read()


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    b2b = os.path.abspath(sys.argv[1])
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    out = os.path.join(root, "tests", "fuzz", "corpus", "snapshot")
    sample = os.path.join(root, "examples", "data", "book")
    with tempfile.TemporaryDirectory() as tmp:
        seeds = {}
        seeds["sample_book"] = snapshot(b2b, sample, os.path.join(tmp, "s.snap"))
        seeds["loyalty_book"] = snapshot(b2b, os.path.join(root, "examples", "data", "book-loyalty"),
                                         os.path.join(tmp, "l.snap"))
        first = os.path.join(tmp, "first")
        os.mkdir(first)
        for name in sorted(os.listdir(sample)):
            if name.endswith(".csv"):
                with open(os.path.join(sample, name), encoding="utf-8") as f:
                    lines = f.readlines()[:12]
                with open(os.path.join(first, name), "w", encoding="utf-8") as f:
                    f.writelines(lines)
        seeds["sample_first_rows"] = snapshot(b2b, first, os.path.join(tmp, "f.snap"))
        two = os.path.join(tmp, "two")
        os.mkdir(two)
        with open(os.path.join(two, "products.csv"), "w", encoding="utf-8") as f:
            f.write("sku,list_price,name\nA,1,a\nB,2,b\n")
        seeds["two_products"] = snapshot(b2b, two, os.path.join(tmp, "t.snap"))
        shutil.rmtree(two)

    s = seeds["sample_book"]
    seeds["truncated_header"] = s[:100]
    sec = sections(s)
    x = bytearray(s)
    meta = sec[1][3]
    at = meta + SETTINGS_BYTES + 8 * TABLE_CUSTOMERS
    assert struct.unpack_from("<Q", x, at)[0] == 8, "the sample book has 8 customers"
    struct.pack_into("<Q", x, at, 13)
    seeds["regress_counts_vs_arrays"] = bytes(x)
    x = bytearray(s)
    x[sec[2][3] + 1] = 0xFF
    seeds["regress_pool_not_utf8"] = bytes(x)
    f = seeds["sample_first_rows"]
    x = bytearray(f)
    i, elem, count, off = sections(f)[49]
    assert count == 3, "the first rows have 3 contracts"
    struct.pack_into("<I", x, HEADER + 16 * i + 4, 6)
    seeds["regress_section_count_message"] = bytes(x)

    for name, data in sorted(seeds.items()):
        with open(os.path.join(out, name + ".snap"), "wb") as fo:
            fo.write(data)
        print(f"{name}.snap: {len(data)} bytes")


if __name__ == "__main__":
    main()
