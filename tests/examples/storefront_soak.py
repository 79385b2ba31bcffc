"""Load test of the storefront example on loopback: N requests (quote, price,
validate, health) from T client threads on keep-alive connections, while
another thread switches the book between two versions and reloads it every
50 ms. Every answer must be the one of book A or of book B (byte for byte,
with the fingerprint header of the book that answered); 0 errors. Prints
p50/p99 latency and requests/s. Bounded: fails instead of hanging.

Run: PYTHONPATH=build/bindings/python python3 tests/examples/storefront_soak.py [--requests N] [--threads T]
"""

import argparse
import http.client
import json
import os
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import storefront_run as sf  # noqa: E402

import b2bcore  # noqa: E402

DATA = os.path.join(sf.EXAMPLES, "data")


def read(path):
    with open(path, "rb") as f:
        return f.read()


def workload():
    """(method, path, body) of each kind of request in the mix."""
    price = {"customer": "C-KRONE", "sku": "NUT-M10-934", "qty": "150", "as_of": "2026-06-15"}
    return [("POST", "/quote", read(os.path.join(DATA, "quote_request.json"))),
            ("POST", "/price", json.dumps(price).encode()),
            ("POST", "/validate", read(os.path.join(DATA, "orders", "order_valid.json"))),
            ("POST", "/validate", read(os.path.join(DATA, "orders", "order_invalid.json"))),
            ("POST", "/price", b'{"customer": "C-NOBODY", "sku": "NUT-M10-934", "qty": "1",'
                               b' "as_of": "2026-06-15"}'),
            ("GET", "/health", None)]


def expected_answers(book_dir, work):
    """(status, body) of each request of the mix, from the bindings (the
    storefront's byte identity with the b2b command is storefront_test's)."""
    book = b2bcore.Book.load(book_dir)
    out = []
    for method, path, body in work:
        if path == "/quote":
            out.append((200, book.quote_json(body).encode()))
        elif path == "/validate":
            valid, text = book.validate_json(body)
            out.append((200 if valid else 422, text.encode()))
        elif path == "/price":
            try:
                out.append((200, book.price_json(**json.loads(body)).encode()))
            except b2bcore.RequestError as e:
                out.append((422, e.text.encode()))
        else:
            out.append((200, None))          # /health: changes with each reload
    return book.fingerprint, out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=5000)
    ap.add_argument("--threads", type=int, default=8)
    ap.add_argument("--reload-every", type=float, default=0.05, metavar="SECONDS")
    ap.add_argument("--deadline", type=float, default=120.0, metavar="SECONDS")
    opts = ap.parse_args()

    work = workload()
    with tempfile.TemporaryDirectory() as tmp:
        book_a, book_b, link = sf.make_books(tmp)
        answers = dict([expected_answers(book_a, work), expected_answers(book_b, work)])
        assert len(answers) == 2
        errors, latencies, lock = [], [], threading.Lock()
        stop = threading.Event()
        reloads = [0, 0]                  # done, failed
        counter = iter(range(opts.requests))

        with open(os.path.join(tmp, "server.log"), "w") as log, \
                sf.running(link, log=log) as port:

            def client():
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                mine = []
                try:
                    for i in counter:
                        if stop.is_set():
                            break
                        k = i % len(work)
                        method, path, body = work[k]
                        t0 = time.perf_counter()
                        try:
                            conn.request(method, path, body=body)
                            r = conn.getresponse()
                            got = r.read()
                        except (OSError, http.client.HTTPException) as e:
                            with lock:
                                errors.append("%s %s: %r" % (method, path, e))
                            conn.close()
                            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                            continue
                        mine.append(time.perf_counter() - t0)
                        fp = r.headers.get("B2B-Book-Fingerprint")
                        want = answers.get(fp)
                        if want is None:
                            problem = "unknown book %r" % fp
                        elif r.status != want[k][0]:
                            problem = "status %d, not %d" % (r.status, want[k][0])
                        elif want[k][1] is not None and got != want[k][1]:
                            problem = "not the document of book %s" % fp[:12]
                        elif path == "/health" and json.loads(got)["fingerprint"] != fp:
                            problem = "health and header name different books"
                        else:
                            continue
                        with lock:
                            errors.append("%s %s: %s" % (method, path, problem))
                finally:
                    conn.close()
                    with lock:
                        latencies.extend(mine)

            def reloader():
                flip = False
                while not stop.wait(opts.reload_every):
                    flip = not flip
                    sf.point(link, book_b if flip else book_a)
                    try:
                        status, _, _ = sf.request(port, "POST", "/reload", b"")
                    except (OSError, http.client.HTTPException):
                        status = 0
                    reloads[0 if status == 200 else 1] += 1

            clients = [threading.Thread(target=client, daemon=True)
                       for _ in range(opts.threads)]
            rl = threading.Thread(target=reloader, daemon=True)
            t0 = time.perf_counter()
            rl.start()
            for c in clients:
                c.start()
            end = time.monotonic() + opts.deadline
            for c in clients:
                c.join(max(0.0, end - time.monotonic()))
            elapsed = time.perf_counter() - t0
            hung = any(c.is_alive() for c in clients)
            stop.set()
            rl.join(15)

    n = len(latencies)
    latencies.sort()
    if n:
        print("storefront soak: %d requests from %d threads in %.2f s: %.0f requests/s; "
              "latency p50 %.2f ms, p99 %.2f ms, max %.2f ms; %d reloads (%d failed); "
              "%d errors" % (n, opts.threads, elapsed, n / elapsed,
                             latencies[n // 2] * 1e3, latencies[min(n - 1, n * 99 // 100)] * 1e3,
                             latencies[-1] * 1e3, reloads[0] + reloads[1], reloads[1],
                             len(errors)))
    for e in errors[:20]:
        print("error:", e)
    if hung:
        print("error: clients still running after %.0f s" % opts.deadline)
    ok = not errors and not hung and n == opts.requests and reloads[1] == 0 and reloads[0] > 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
