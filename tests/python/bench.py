"""Benchmark of the Python layer against the C calls it wraps (a program,
not a test). Usage, from the project root:

    build/src/cli/b2b bench --write /tmp/bench-book --profile basic
    PYTHONPATH=build/bindings/python:build/tests python3 tests/python/bench.py /tmp/bench-book

(--calls, --rounds, --lines: see --help).

The C side is timed by _b2bcore_test, a module built for the tests only
(tests/python/_b2bcore_test.c): it loads the same book itself and loops the
same C calls with the GIL released, so the installed module holds no
timing code. Both sides count the CPU time of the calling thread, and each
figure is the minimum of several rounds, the C and Python rounds
interleaved: on a shared machine the minimum is the least disturbed round.

Reports the per-call overhead of Book.price over the same C calls, and the
per-line overhead of Book.price_many (handles + integer buffers, scaled
results) over b2b_price_batch on the lines of DIR/lines.csv.
"""

import argparse
import csv
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
    ap.add_argument("--lines", type=int, default=200000,
                    help="lines of lines.csv per price_many round")
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
    py_ns, c_ns = [], []
    for _ in range(a.rounds):
        t = time.thread_time_ns()
        book.price_many(customers, skus, qtys, as_of, scaled=True)
        py_ns.append(time.thread_time_ns() - t)
        c_ns.extend(_b2bcore_test.batch_c(cbook, ckeys, skeys, qtys, as_of, 1))
    print("price_many: %d lines, min of %d rounds: C batch %.1f ns/line; Book.price_many "
          "(handles, int64 buffer, scaled) %.1f ns/line: +%.1f ns/line"
          % (nl, a.rounds, min(c_ns) / nl, min(py_ns) / nl, (min(py_ns) - min(c_ns)) / nl))
    t = time.thread_time_ns()
    book.price_many(ckeys, skeys, [q for _, _, q in lines], as_of)
    print("price_many with str keys and Decimal results: %.0f ns/line"
          % ((time.thread_time_ns() - t) / nl))

if __name__ == "__main__":
    main()
