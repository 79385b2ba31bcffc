"""b2bcore.dask: price_frame on pandas and Dask frames, and
examples/dask_reprice.py on a real distributed cluster (scheduler and two
worker processes over TCP on 127.0.0.1): the checksum of `b2b bench price`,
one snapshot open per worker process, and a worker killed in the middle of
a run (its nanny restarts it; the run completes with the same checksum).

pandas and dask.distributed import in Debian's /usr/bin/python3
(python3-pandas, python3-distributed); elsewhere these tests are skipped,
unless B2B_REQUIRE_DASK=1 (the suite's python-dask test sets it), where a
missing module fails them. The cluster tests also need the `b2b` program
(B2B_CLI) to write the workload and its expected checksum."""

import gc
import importlib
import os
import signal
import subprocess
import sys
import tempfile
import time
import unittest
from decimal import Decimal

import b2bcore
import b2bcore.dask

EXAMPLES = os.environ.get("B2B_EXAMPLES_DIR", "examples")
BOOK = os.path.abspath(os.path.join(EXAMPLES, "data", "book"))
CLI = os.environ.get("B2B_CLI")
REQUIRE = os.environ.get("B2B_REQUIRE_DASK") == "1"
AS_OF = "2026-06-15"
PATH = [os.path.dirname(os.path.dirname(os.path.abspath(b2bcore.__file__)))]


def _need(module):
    try:
        return importlib.import_module(module)
    except ImportError:
        if REQUIRE:
            raise
        return None


pd = _need("pandas")
dd = _need("dask.dataframe") if pd is not None else None
distributed = _need("distributed") if dd is not None else None


def _example():
    """examples/dask_reprice.py as a module; its functions travel to the
    workers by value (the workers cannot import it)."""
    import cloudpickle
    sys.path.insert(0, os.path.abspath(EXAMPLES))
    try:
        module = importlib.import_module("dask_reprice")
    finally:
        sys.path.pop(0)
    cloudpickle.register_pickle_by_value(module)
    return module


class TestImport(unittest.TestCase):
    def test_import_needs_only_the_standard_library(self):
        code = ("import sys, b2bcore, b2bcore.dask\n"
                "bad = [m for m in ('pandas', 'numpy', 'dask', 'distributed') if m in sys.modules]\n"
                "print(bad)\n")
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(PATH))
        r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           env=env, timeout=60)
        self.assertEqual((r.returncode, r.stdout.strip()), (0, "[]"), r.stderr)


@unittest.skipIf(pd is None, "pandas does not import in this Python")
class TestPriceFrame(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.book = b2bcore.Book.open(BOOK)        # a directory: no snapshot needed here
        cls.lines = [("C-KRONE", "NUT-M10-934", "150"), ("C-KRONE", "NUT-M10-934", "2.5"),
                     ("C-BAUMANN", "SCR-W-5x60", "40"), ("NOBODY", "NUT-M10-934", "1"),
                     ("C-KRONE", "NOPE", "1"), ("C-KRONE", "NUT-M10-934", "0")]

    def tearDown(self):
        # pandas leaves reference cycles; collected here, not during a
        # later test that counts references (test_pricing)
        gc.collect()

    def frame(self):
        return pd.DataFrame(self.lines, columns=["customer", "sku", "qty"])

    def test_text_prices_and_problems(self):
        out = b2bcore.dask.price_frame(self.frame(), self.book, AS_OF)
        self.assertEqual(list(out.columns), ["customer", "sku", "qty", "unit_price", "problem"])
        self.assertEqual(out["unit_price"].tolist()[:3], ["6.6867", "7.2000", "10.9517"])
        self.assertEqual(out["unit_price"].tolist()[3:], ["", "", ""])
        self.assertEqual(out["problem"].tolist(),
                         ["", "", "", "UNKNOWN_CUSTOMER", "UNKNOWN_SKU", "QTY_NOT_POSITIVE"])
        for (c, s, q), p in zip(self.lines[:3], out["unit_price"]):
            self.assertEqual(Decimal(p), self.book.price(c, s, q, AS_OF).unit_price)

    def test_scaled(self):
        out = b2bcore.dask.price_frame(self.frame(), self.book, AS_OF, scaled=True)
        self.assertEqual(self.book.unit_price_decimals, 4)
        self.assertEqual(out.attrs["unit_price_decimals"], 4)
        self.assertEqual(str(out["unit_price"].dtype), "Int64")
        self.assertEqual(out["unit_price"].tolist()[:3], [66867, 72000, 109517])
        self.assertTrue(out["unit_price"].isna().tolist()[3:] == [True] * 3)

    def test_quantity_columns(self):
        f = self.frame().iloc[[0, 2]].copy()
        f["qty"] = [150, 40]                          # int64: the buffer path
        self.assertEqual(b2bcore.dask.price_frame(f, self.book, AS_OF)["unit_price"].tolist(),
                         ["6.6867", "10.9517"])
        f["qty"] = [Decimal("150"), Decimal("40.0")]  # Decimal objects: made into text
        self.assertEqual(b2bcore.dask.price_frame(f, self.book, AS_OF)["unit_price"].tolist(),
                         ["6.6867", "10.9517"])
        f["qty"] = [150.0, 40.0]
        with self.assertRaisesRegex(TypeError, "float"):
            b2bcore.dask.price_frame(f, self.book, AS_OF)
        f["qty"] = ["150", None]                      # a missing quantity is a line problem
        self.assertEqual(b2bcore.dask.price_frame(f, self.book, AS_OF)["problem"].tolist(),
                         ["", "QTY_NOT_POSITIVE"])
        f["qty"] = pd.array([150, None], dtype="Int64")
        self.assertEqual(b2bcore.dask.price_frame(f, self.book, AS_OF)["problem"].tolist(),
                         ["", "QTY_NOT_POSITIVE"])

    def test_missing_and_typed_ids(self):
        f = pd.DataFrame({"customer": pd.array(["C-KRONE", None], dtype="string"),
                          "sku": ["NUT-M10-934", "NUT-M10-934"], "qty": [150, 1]})
        out = b2bcore.dask.price_frame(f, self.book, AS_OF)
        self.assertEqual(out["unit_price"].tolist(), ["6.6867", ""])
        self.assertEqual(out["problem"].tolist(), ["", "UNKNOWN_CUSTOMER"])

    def test_index_and_other_columns_kept(self):
        f = self.frame()
        f.index = [10, 11, 12, 13, 14, 15]
        f["note"] = list("abcdef")
        out = b2bcore.dask.price_frame(f, self.book, AS_OF)
        self.assertEqual(out.index.tolist(), [10, 11, 12, 13, 14, 15])
        self.assertEqual(out["note"].tolist(), list("abcdef"))
        self.assertNotIn("unit_price", f.columns)     # the input is left as it was

    def test_currency_and_empty_frame(self):
        out = b2bcore.dask.price_frame(self.frame().iloc[:0], self.book, AS_OF)
        self.assertEqual(len(out), 0)
        self.assertIn("unit_price", out.columns)
        eur = b2bcore.dask.price_frame(self.frame().iloc[:1], self.book, AS_OF, currency="EUR")
        self.assertEqual(eur["unit_price"].tolist(), ["6.6867"])

    def test_bad_arguments(self):
        with self.assertRaisesRegex(KeyError, "qty"):
            b2bcore.dask.price_frame(self.frame()[["customer", "sku"]], self.book, AS_OF)
        with self.assertRaises(b2bcore.InvalidValue):
            b2bcore.dask.price_frame(self.frame(), self.book, "15.06.2026")
        with self.assertRaisesRegex(TypeError, "b2bcore.Book"):
            b2bcore.dask.price_frame(self.frame(), "book", AS_OF)
        with self.assertRaisesRegex(TypeError, "DataFrame"):
            b2bcore.dask.price_frame(self.lines, self.book, AS_OF)

    @unittest.skipIf(dd is None, "dask does not import in this Python")
    def test_dask_frame_on_threads(self):
        frame = dd.from_pandas(self.frame(), npartitions=3)
        priced = b2bcore.dask.price_frame(frame, self.book, AS_OF)
        self.assertEqual(priced.npartitions, 3)
        # a pool of its own, joined here: no thread outlives the test
        from concurrent.futures import ThreadPoolExecutor
        with ThreadPoolExecutor(2) as pool:
            out = priced.compute(scheduler="threads", pool=pool)
        want = b2bcore.dask.price_frame(self.frame(), self.book, AS_OF)
        self.assertEqual(out["unit_price"].tolist(), want["unit_price"].tolist())
        self.assertEqual(out["problem"].tolist(), want["problem"].tolist())
        self.assertIn(self.book.fingerprint, b2bcore.dask.process_books())


@unittest.skipIf(distributed is None, "dask.distributed does not import in this Python")
@unittest.skipIf(CLI is None and not REQUIRE, "B2B_CLI (the b2b program) is not set")
class TestCluster(unittest.TestCase):
    """A small `b2b bench --write` workload (2,000 products, 200,000 lines)
    on a LocalCluster of 2 worker processes."""

    LINES = 200000

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.dir = os.path.join(cls.tmp.name, "book")
        subprocess.run([CLI, "bench", "--write", cls.dir, "--products", "2000",
                        "--customers", "50", "--contract-items", "300",
                        "--lines", str(cls.LINES)], check=True, capture_output=True, timeout=120)
        with open(os.path.join(cls.dir, "expected_checksum.txt")) as f:
            cls.expected = [line.split()[1] for line in f if line.startswith("sha256 ")][0]
        cls.lines_csv = os.path.join(cls.dir, "lines.csv")
        cls.ex = _example()

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()
        gc.collect()

    def test_example_script(self):
        """The example as a user runs it: it writes the snapshot, starts its
        own cluster, and its checksum is the expected one."""
        out = os.path.join(self.tmp.name, "out-script")
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(PATH))
        t0 = time.monotonic()
        r = subprocess.run([sys.executable, os.path.join(EXAMPLES, "dask_reprice.py"), self.dir,
                            self.lines_csv, out, "--blocksize", "1MB"],
                           capture_output=True, text=True, env=env, timeout=120)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        # ≈ 10 s on an idle 2-core machine (interpreter and cluster start,
        # the run, the shutdown); the suite's timeout bounds it
        sys.stderr.write("[example script: %.1f s] " % (time.monotonic() - t0))
        self.assertIn("checksum %s" % self.expected, r.stdout)
        self.assertIn("checksum matches expected_checksum.txt: yes", r.stdout)
        self.assertIn("lines %d" % self.LINES, r.stdout)
        self.assertTrue(os.path.exists(os.path.join(self.dir, "book.b2bsnap")))
        parts = sorted(os.listdir(out))
        self.assertGreater(len(parts), 1)
        # the partitions in order are the lines in order, each priced
        n, header = 0, "customer,sku,qty,unit_price,problem\n"
        with open(self.lines_csv) as f:
            src = f.readlines()[1:]
        for p in parts:
            with open(os.path.join(out, p)) as f:
                rows = f.readlines()
            self.assertEqual(rows[0], header)
            for row in rows[1:]:
                self.assertTrue(row.startswith(src[n].rstrip("\n") + ","), (p, row, src[n]))
                n += 1
        self.assertEqual(n, self.LINES)

    def test_worker_killed_mid_run(self):
        snapshot, _ = self.ex.snapshot_of(self.dir)
        cluster, client = self.ex.start_cluster(2)
        try:
            # a clean run first: each worker process opens the snapshot once,
            # however many partitions it prices
            r = self.ex.reprice(client, snapshot, self.lines_csv,
                                os.path.join(self.tmp.name, "out-clean"), blocksize="256KB")
            self.assertEqual(r["checksum"], self.expected)
            self.assertGreaterEqual(r["partitions"], 10)
            opens = client.run(lambda: __import__("b2bcore")._stats["snapshot_opens"])
            self.assertEqual(sorted(opens.values()), [1, 1])
            held = client.run(lambda: __import__("b2bcore.dask").dask.process_books())
            for books in held.values():
                self.assertEqual(list(books.values()), [snapshot])

            before = client.run(os.getpid)
            killed = {}

            def kill_one():
                busy = [a for a, keys in client.processing().items() if keys]
                addr = busy[0] if busy else sorted(before)[0]
                killed["pid"] = before[addr]
                killed["pending"] = sum(len(k) for k in client.processing().values())
                os.kill(before[addr], signal.SIGKILL)

            out = os.path.join(self.tmp.name, "out-fault")
            r = self.ex.reprice(client, snapshot, self.lines_csv, out, blocksize="256KB",
                                on_first_done=kill_one)
            self.assertIn("pid", killed)
            self.assertGreater(killed["pending"], 0)      # it died with work to do
            self.assertEqual(r["checksum"], self.expected)
            self.assertEqual(r["lines"], self.LINES)
            # the nanny started a new worker process in place of the killed one
            deadline = time.monotonic() + 30
            while True:
                after = client.run(os.getpid)
                if len(after) == 2 or time.monotonic() > deadline:
                    break
                time.sleep(0.2)
            self.assertEqual(len(after), 2)
            self.assertNotIn(killed["pid"], after.values())
            # no partition left half-written, every partition's file in place
            names = sorted(os.listdir(out))
            self.assertEqual(names, ["part-%05d.csv" % i for i in range(r["partitions"])])
        finally:
            client.close()
            cluster.close()


if __name__ == "__main__":
    unittest.main()
