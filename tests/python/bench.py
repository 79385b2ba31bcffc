"""Benchmark of the Python layer against the C calls it wraps (a program,
not a test). Usage, from the project root:

    build/src/b2b bench --write /tmp/bench-book --profile basic
    PYTHONPATH=build/bindings/python:build/tests python3 tests/python/bench.py /tmp/bench-book

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

import csv
import sys
import time
from array import array

import b2bcore
import _b2bcore_test

ROUNDS = 7


def per_call(fn, n):
    t = time.thread_time_ns()
    for _ in range(n):
        fn()
    return (time.thread_time_ns() - t) / n


def main():
    book_dir = sys.argv[1] if len(sys.argv) > 1 else "examples/data/book"
    as_of = sys.argv[2] if len(sys.argv) > 2 else "2026-06-15"
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 20000
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

    rounds = {"c": [], "c_json": [], "price": [], "price_read": [], "thin": []}
    for _ in range(ROUNDS):
        rounds["c"].append(_b2bcore_test.price_c(cbook, customer, sku, qty, as_of, n) / n)
        rounds["c_json"].append(
            _b2bcore_test.price_c(cbook, customer, sku, qty, as_of, n, True) / n)
        rounds["price"].append(per_call(lambda: book.price(customer, sku, qty, as_of), n))
        rounds["price_read"].append(per_call(
            lambda: book.price(customer, sku, qty, as_of).unit_price, n))
        rounds["thin"].append(per_call(
            lambda: book._c.price_json(customer, sku, qty, as_of, None, None, ()), n))
    m = {k: min(v) for k, v in rounds.items()}
    print("price (%s x %s for %s), min of %d rounds of %d calls:" % (sku, qty, customer,
                                                                    ROUNDS, n))
    print("  C request + b2b_price_compute  %7.0f ns" % m["c"])
    print("  the same + b2b_price_to_json   %7.0f ns" % m["c_json"])
    print("  Book.price                     %7.0f ns  (+%.0f over C)" % (m["price"],
                                                                       m["price"] - m["c"]))
    print("  Book.price, then .unit_price   %7.0f ns  (+%.0f over C)" % (
        m["price_read"], m["price_read"] - m["c"]))
    print("  _b2bcore price_json (JSON text) %6.0f ns  (+%.0f over C with JSON)" % (
        m["thin"], m["thin"] - m["c_json"]))

    if len(lines) < 1000:
        return
    customers = book.find_customers([c for c, _, _ in lines])
    skus = book.find_products([s for _, s, _ in lines])
    qtys = array("q", [int(q) for _, _, q in lines])
    ckeys = [c for c, _, _ in lines]
    skeys = [s for _, s, _ in lines]
    py_ns, c_ns = [], []
    for _ in range(5):
        t = time.thread_time_ns()
        book.price_many(customers, skus, qtys, as_of, scaled=True)
        py_ns.append(time.thread_time_ns() - t)
        c_ns.extend(_b2bcore_test.batch_c(cbook, ckeys, skeys, qtys, as_of, 1))
    nl = len(lines)
    print("price_many: %d lines; C batch %.1f ns/line (min of 5); Book.price_many %.1f ns/line; "
          "Python layer +%.1f ns/line (difference of the minima)"
          % (nl, min(c_ns) / nl, min(py_ns) / nl, (min(py_ns) - min(c_ns)) / nl))
    t = time.thread_time_ns()
    book.price_many(ckeys[:100000], skeys[:100000], [q for _, _, q in lines[:100000]], as_of)
    print("price_many with str keys and Decimal results: %.0f ns/line"
          % ((time.thread_time_ns() - t) / min(nl, 100000)))


if __name__ == "__main__":
    main()
