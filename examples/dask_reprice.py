#!/usr/bin/env python3
"""dask_reprice: reprice a `b2b bench --write` workload on a Dask cluster.

    PYTHONPATH=build/bindings/python /usr/bin/python3 examples/dask_reprice.py \\
        BOOK LINES_CSV OUT_DIR [--workers 2] [--blocksize 16MB] [--as-of 2026-06-15]
        [--single]

BOOK is a book directory or a snapshot file. For a directory the snapshot
is BOOK/book.b2bsnap, written first when it is missing or older than the
book's files. A `distributed.LocalCluster` is started (2 worker processes of
one thread each, a scheduler over TCP on 127.0.0.1, each worker under a
nanny that restarts it if it dies); LINES_CSV (customer,sku,qty) is read in
blocks of --blocksize bytes, one partition each, priced with
`b2bcore.dask.price_frame`, and every partition written as
OUT_DIR/part-NNNNN.csv (customer,sku,qty,unit_price,problem; written aside
and renamed, so a partition that is run again after a worker died
replaces its file with the same bytes).

It prints the lines, the seconds from reading the first block to the last
partition written, lines/s, the CPU seconds the worker processes and this
process (client and scheduler) spent meanwhile (the figure that holds on a
machine other jobs share), and the checksum of `b2b bench price` over the
priced lines in order: SHA-256 over one line per input line, the unit price
with exactly the book's unit_price_decimals fractional digits, or "!" and
the problem's number, each followed by "\\n" (src/cli/bench_price.c). When
LINES_CSV has an expected_checksum.txt next to it, the checksum must equal
its sha256 (exit 1 otherwise).

--single runs the same steps in this process with pandas alone (no Dask):
the single-core rate the cluster's is compared with.

Needs pandas and dask.distributed (Debian: python3-pandas python3-distributed;
they import in Debian's /usr/bin/python3).
"""

import argparse
import hashlib
import os
import sys
import time

import b2bcore
import b2bcore.dask

AS_OF = "2026-06-15"
SNAPSHOT_NAME = "book.b2bsnap"
CODES = {name: code for code, name in b2bcore.PROBLEMS.items()}


def snapshot_of(book):
    """The snapshot of BOOK (a file: itself; a directory: BOOK/book.b2bsnap,
    written when missing or older than a file of the book). Returns
    (path, seconds spent writing it or 0)."""
    if not os.path.isdir(book):
        return book, 0.0
    snap = os.path.join(book, SNAPSHOT_NAME)
    newest = max(os.path.getmtime(os.path.join(book, f)) for f in os.listdir(book)
                 if f.endswith(".csv") and f != "lines.csv")
    if os.path.exists(snap) and os.path.getmtime(snap) >= newest:
        return snap, 0.0
    t0 = time.perf_counter()
    b2bcore.Book.load(book).write_snapshot(snap)
    return snap, time.perf_counter() - t0


def checksum_text(part):
    """The lines of the `b2b bench price` checksum for a priced partition."""
    prices = part["unit_price"].tolist()
    problems = part["problem"].tolist()
    if not any(problems):
        return ("\n".join(prices) + "\n").encode() if prices else b""
    return "".join(p + "\n" if not c else "!%d\n" % CODES[c]
                   for p, c in zip(prices, problems)).encode()


COLUMNS = ["customer", "sku", "qty", "unit_price", "problem"]


def csv_text(part):
    """The partition as CSV text. Cells are joined as they are when none
    needs quoting (the bench's ids and decimals never do: checked on the
    joined text, a comma, quote or line break too many shows), else
    pandas writes it (≈ 10× slower)."""
    cols = [part[c].tolist() for c in COLUMNS]
    n = len(part)
    body = "\n".join(map(",".join, zip(*cols)))
    if (body.count(",") == 4 * n and body.count("\n") == max(n - 1, 0)
            and '"' not in body and "\r" not in body):
        return ",".join(COLUMNS) + "\n" + body + ("\n" if n else "")
    return part[COLUMNS].to_csv(index=False, lineterminator="\n")


def write_part(part, path):
    """Write one priced partition as CSV (aside, then renamed); returns
    (lines, the checksum text of its lines)."""
    tmp = "%s.tmp%d" % (path, os.getpid())
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        f.write(csv_text(part))
    os.replace(tmp, path)
    return len(part), checksum_text(part)


def _expected(lines_csv):
    path = os.path.join(os.path.dirname(os.path.abspath(lines_csv)), "expected_checksum.txt")
    try:
        with open(path) as f:
            for line in f:
                if line.startswith("sha256 "):
                    return line.split()[1]
    except OSError:
        pass
    return None


def _read_options(blocksize):
    # every cell as text: ids stay str, quantities stay exact decimals
    return dict(dtype=str, keep_default_na=False, blocksize=blocksize)


def _worker_cpu(client):
    return client.run(time.process_time)


def reprice(client, snapshot, lines_csv, out_dir, as_of=AS_OF, blocksize="16MB",
            on_first_done=None):
    """Reprice LINES_CSV on the cluster of `client` into OUT_DIR. Returns
    {"lines", "partitions", "seconds", "checksum", "cpu_workers",
    "cpu_client"} (CPU seconds; cpu_workers None when a worker was
    replaced meanwhile). `on_first_done()` is called once the first
    partition is written (the fault test kills a worker there)."""
    import dask
    import dask.dataframe as dd
    from distributed import wait

    os.makedirs(out_dir, exist_ok=True)
    book = b2bcore.Book.open(snapshot)
    cpu0 = _worker_cpu(client)
    c0 = time.process_time()
    t0 = time.perf_counter()
    frame = dd.read_csv(lines_csv, **_read_options(blocksize))
    priced = b2bcore.dask.price_frame(frame, book, as_of)
    parts = priced.to_delayed()
    tasks = [dask.delayed(write_part)(p, os.path.join(out_dir, "part-%05d.csv" % i))
             for i, p in enumerate(parts)]
    futures = client.compute(tasks)
    if on_first_done is not None:
        wait(futures, return_when="FIRST_COMPLETED")
        on_first_done()
    sha = hashlib.sha256()
    lines = 0
    for f in futures:                   # in order: the checksum is over the lines in order
        n, text = f.result()
        lines += n
        sha.update(text)
        f.release()
    seconds = time.perf_counter() - t0
    cpu_client = time.process_time() - c0
    cpu1 = _worker_cpu(client)
    cpu = (sum(cpu1[w] - cpu0[w] for w in cpu1) if sorted(cpu1) == sorted(cpu0) else None)
    # a worker that died while writing left its temporary file behind
    for name in os.listdir(out_dir):
        if name.startswith("part-") and ".csv.tmp" in name:
            os.remove(os.path.join(out_dir, name))
    return {"lines": lines, "partitions": len(futures), "seconds": seconds,
            "checksum": sha.hexdigest(), "cpu_workers": cpu, "cpu_client": cpu_client}


def reprice_single(snapshot, lines_csv, out_dir, as_of=AS_OF, chunk_lines=500_000):
    """The same in this process with pandas alone (one core)."""
    import pandas as pd

    os.makedirs(out_dir, exist_ok=True)
    book = b2bcore.Book.open(snapshot)
    c0 = time.process_time()
    t0 = time.perf_counter()
    sha = hashlib.sha256()
    lines = parts = 0
    opts = _read_options(None)
    del opts["blocksize"]
    for i, chunk in enumerate(pd.read_csv(lines_csv, chunksize=chunk_lines, **opts)):
        priced = b2bcore.dask.price_frame(chunk, book, as_of)
        n, text = write_part(priced, os.path.join(out_dir, "part-%05d.csv" % i))
        lines += n
        parts += 1
        sha.update(text)
    return {"lines": lines, "partitions": parts, "seconds": time.perf_counter() - t0,
            "checksum": sha.hexdigest(), "cpu_workers": 0.0,
            "cpu_client": time.process_time() - c0}


def start_cluster(workers=2):
    """A LocalCluster of `workers` processes (one thread each, under nannies)
    and a scheduler over TCP on 127.0.0.1; returns (cluster, client)."""
    from distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                           host="127.0.0.1", protocol="tcp", dashboard_address=None)
    return cluster, Client(cluster)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("book", help="book directory or snapshot file")
    ap.add_argument("lines", help="lines CSV: customer,sku,qty")
    ap.add_argument("out", help="output directory of the priced partitions")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--blocksize", default="16MB")
    ap.add_argument("--as-of", default=AS_OF)
    ap.add_argument("--single", action="store_true",
                    help="price in this process with pandas alone, without Dask")
    a = ap.parse_args(argv)

    snapshot, wrote = snapshot_of(a.book)
    if wrote:
        print("wrote the snapshot %s in %.2f s" % (snapshot, wrote))
    if a.single:
        r = reprice_single(snapshot, a.lines, a.out, a.as_of)
        how = "1 process, pandas alone"
    else:
        cluster, client = start_cluster(a.workers)
        try:
            r = reprice(client, snapshot, a.lines, a.out, a.as_of, a.blocksize)
        finally:
            client.close()
            cluster.close()
        how = "%d worker processes" % a.workers
    print("lines %d in %d partitions (%s)" % (r["lines"], r["partitions"], how))
    print("seconds %.2f" % r["seconds"])
    print("lines/s %.0f" % (r["lines"] / r["seconds"]))
    if r["cpu_workers"] is not None:
        cpu = r["cpu_workers"] + r["cpu_client"]
        print("cpu seconds %.2f (workers %.2f, this process %.2f): %.0f lines per cpu second"
              % (cpu, r["cpu_workers"], r["cpu_client"], r["lines"] / cpu))
    print("checksum %s" % r["checksum"])
    expected = _expected(a.lines)
    if expected is not None:
        same = expected == r["checksum"]
        print("checksum matches expected_checksum.txt: %s" % ("yes" if same else "NO"))
        if not same:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
