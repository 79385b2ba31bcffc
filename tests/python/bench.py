"""Benchmark of the Python layer against the C calls it wraps (a program,
not a test). Usage, from the project root:

    build/src/b2b bench --write /tmp/bench-book --profile basic
    PYTHONPATH=build/bindings/python python3 tests/python/bench.py /tmp/bench-book

Reports the per-call overhead of Book.price over the same C calls, and the
per-line overhead of Book.price_many (handles + integer buffers, scaled
results) over b2b_price_batch on the lines of DIR/lines.csv.
"""

import csv
import sys
import time
from array import array

import b2bcore


def main():
    book_dir = sys.argv[1] if len(sys.argv) > 1 else "examples/data/book"
    as_of = sys.argv[2] if len(sys.argv) > 2 else "2026-06-15"
    t = time.perf_counter()
    book = b2bcore.Book.load(book_dir)
    print("load: %.3f s, %d products" % (time.perf_counter() - t, book.counts["products"]))
    lines = []
    try:
        with open(book_dir + "/lines.csv", newline="") as f:
            r = csv.reader(f)
            next(r)
            lines = [(c, s, q) for c, s, q in r]
    except FileNotFoundError:
        lines = [("C-KRONE", "NUT-M10-934", "150")]
    customer, sku, qty = lines[0]

    n = 20000
    c_ns = book._c._bench_price_c(customer, sku, qty, as_of, n) / n
    t = time.perf_counter_ns()
    for _ in range(n):
        book.price(customer, sku, qty, as_of)
    py_ns = (time.perf_counter_ns() - t) / n
    t = time.perf_counter_ns()
    for _ in range(n):
        book._c.price_json(customer, sku, qty, as_of, None, None, ())
    thin_ns = (time.perf_counter_ns() - t) / n
    print("price: C %.0f ns/call; Python Book.price %.0f ns (+%.0f); thin _b2bcore %.0f ns (+%.0f)"
          % (c_ns, py_ns, py_ns - c_ns, thin_ns, thin_ns - c_ns))

    if len(lines) < 1000:
        return
    customers = book.find_customers([c for c, _, _ in lines])
    skus = book.find_products([s for _, s, _ in lines])
    qtys = array("q", [int(q) for _, _, q in lines])
    # The overhead is measured within each call: the whole price_many call
    # minus the time of its own b2b_price_batch (recorded by the module),
    # so machine noise between runs does not enter the difference.
    overheads, batch = [], []
    for _ in range(5):
        t = time.perf_counter_ns()
        prices, problems = book.price_many(customers, skus, qtys, as_of, scaled=True)
        p = time.perf_counter_ns() - t
        c = book._c._last_batch_ns()
        overheads.append(p - c)
        batch.append(c)
    nl = len(lines)
    print("price_many: %d lines; C batch %.1f ns/line (min of 5); Python layer overhead "
          "%.1f ns/line (min of 5; median %.1f)"
          % (nl, min(batch) / nl, min(overheads) / nl, sorted(overheads)[2] / nl))
    t = time.perf_counter_ns()
    book.price_many([c for c, _, _ in lines[:100000]], [s for _, s, _ in lines[:100000]],
                    [q for _, _, q in lines[:100000]], as_of)
    print("price_many with str keys and Decimal results: %.0f ns/line"
          % ((time.perf_counter_ns() - t) / 100000))


if __name__ == "__main__":
    main()
