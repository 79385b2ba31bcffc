"""Benchmark of the Python layer against the C calls it wraps (a program,
not a test). Usage, from the project root:

    build/src/b2b bench --write /tmp/bench-book --profile basic
    PYTHONPATH=build/bindings/python:build/tests python3 tests/python/bench.py /tmp/bench-book

(--calls, --rounds, --lines, --pairs: see --help).

The C side is timed by _b2bcore_test, a module built for the tests only
(tests/python/_b2bcore_test.c): it loads the same book itself and loops the
same C calls with the GIL released, so the installed module holds no
timing code. Both sides count the CPU time of the calling thread. The
Book.price figures are the minimum of several rounds, the C and Python
rounds interleaved: on a shared machine the minimum is the least disturbed
round. The price_many overhead (a few percent of the C time, less than
the noise between two calls) is the median of the differences of pairs of
calls, each Python call followed by the C one.

Reports the per-call overhead of Book.price over the same C calls, and the
per-line overhead of Book.price_many (handles + integer buffers, scaled
results) over b2b_price_batch on the lines of DIR/lines.csv.
"""

import argparse
import csv
import statistics
import time
from array import array

import b2bcore
import _b2bcore_test


def per_call(fn, n):
    t = time.thread_time_ns()
    for _ in range(n):
        fn()
    return (time.thread_time_ns() - t) / n


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("book", nargs="?", default="examples/data/book")
    ap.add_argument("--as-of", default="2026-06-15")
    ap.add_argument("--calls", type=int, default=3000, help="Book.price calls per round")
    ap.add_argument("--rounds", type=int, default=40)
    ap.add_argument("--lines", type=int, default=20000,
                    help="lines of lines.csv per price_many call")
    ap.add_argument("--pairs", type=int, default=150,
                    help="price_many calls, each paired with the C batch")
    a = ap.parse_args()
    book_dir, as_of, n = a.book, a.as_of, a.calls
    t = time.perf_counter()
    book = b2bcore.Book.load(book_dir)
    print("load: %.3f s, %d products" % (time.perf_counter() - t, book.counts["products"]))
    cbook = _b2bcore_test.load(book_dir)
    lines = []
    try:
        with open(book_dir + "/lines.csv", newline="") as f:
            r = csv.reader(f)
            next(r)
            lines = [(c, s, q) for c, s, q in r]
    except FileNotFoundError:
        lines = [("C-KRONE", "NUT-M10-934", "150")]
    customer, sku, qty = lines[0]

    rounds = {"c": [], "c_json": [], "price": [], "price_read": [], "price_doc": [], "thin": []}
    for _ in range(a.rounds):
        rounds["c"].append(_b2bcore_test.price_c(cbook, customer, sku, qty, as_of, n) / n)
        rounds["c_json"].append(
            _b2bcore_test.price_c(cbook, customer, sku, qty, as_of, n, True) / n)
        rounds["price"].append(per_call(lambda: book.price(customer, sku, qty, as_of), n))
        rounds["price_read"].append(per_call(
            lambda: book.price(customer, sku, qty, as_of).unit_price, n))
        rounds["price_doc"].append(per_call(
            lambda: book.price(customer, sku, qty, as_of).document, n))
        rounds["thin"].append(per_call(
            lambda: book._c.price_json(customer, sku, qty, as_of, None, None, ()), n))
    m = {k: min(v) for k, v in rounds.items()}
    print("price (%s x %s for %s), min of %d rounds of %d calls:" % (sku, qty, customer,
                                                                    a.rounds, n))
    print("  C request + b2b_price_compute  %7.0f ns" % m["c"])
    print("  the same + b2b_price_to_json   %7.0f ns" % m["c_json"])
    print("  Book.price                     %7.0f ns  (+%.0f over C)" % (m["price"],
                                                                       m["price"] - m["c"]))
    print("  Book.price, then .unit_price   %7.0f ns  (+%.0f over C)" % (
        m["price_read"], m["price_read"] - m["c"]))
    print("  Book.price, then .document     %7.0f ns  (+%.0f over C)" % (
        m["price_doc"], m["price_doc"] - m["c"]))
    print("  _b2bcore price_json (JSON text) %6.0f ns  (+%.0f over C with JSON)" % (
        m["thin"], m["thin"] - m["c_json"]))

    if len(lines) < 1000:
        return
    lines = lines[:a.lines]
    nl = len(lines)
    ckeys = [c for c, _, _ in lines]
    skeys = [s for _, s, _ in lines]
    customers = book.find_customers(ckeys)
    skus = book.find_products(skeys)
    qtys = array("q", [int(q) for _, _, q in lines])
    # The difference is small beside the machine's noise between two
    # calls: each Python call is paired with the C call right after it,
    # and the median of the pairs' differences is reported.
    diffs, c_ns = [], []
    for _ in range(a.pairs):
        t = time.thread_time_ns()
        book.price_many(customers, skus, qtys, as_of, scaled=True)
        p = time.thread_time_ns() - t
        c = _b2bcore_test.batch_c(cbook, ckeys, skeys, qtys, as_of, 1)[0]
        diffs.append((p - c) / nl)
        c_ns.append(c / nl)
    q = statistics.quantiles(diffs, n=4)
    print("price_many: %d lines, %d pairs of calls: C batch %.1f ns/line (median); "
          "Book.price_many (handles, int64 buffer, scaled) +%.1f ns/line (median of the "
          "differences; quartiles %.1f, %.1f)"
          % (nl, a.pairs, statistics.median(c_ns), statistics.median(diffs), q[0], q[2]))
    t = time.thread_time_ns()
    book.price_many(ckeys, skeys, [q for _, _, q in lines], as_of)
    print("price_many with str keys and Decimal results: %.0f ns/line"
          % ((time.thread_time_ns() - t) / nl))

if __name__ == "__main__":
    main()
