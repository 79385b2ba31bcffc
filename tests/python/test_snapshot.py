"""b2bcore: snapshots from Python (Book.open, write_snapshot, snapshot_path)
and the pickling rule: a Book pickles as (snapshot path, fingerprint), is
refused without a snapshot, and refused on unpickling when the file holds
another book."""

import copy
import gc
import os
import pickle
import subprocess
import sys
import tempfile
import unittest
from decimal import Decimal

import b2bcore

EXAMPLES = os.environ.get("B2B_EXAMPLES_DIR", "examples")
BOOK = os.path.abspath(os.path.join(EXAMPLES, "data", "book"))
PATH = [os.path.dirname(os.path.dirname(os.path.abspath(b2bcore.__file__)))]
AS_OF = "2026-06-15"
# (customer, sku, qty) of the sample book and the unit price of the golden
# documents (tests/cli: price of C-KRONE, NUT-M10-934, 150 at 2026-06-15)
LINES = [("C-KRONE", "NUT-M10-934", "150"), ("C-KRONE", "NUT-M10-934", "2.5"),
         ("C-BAUMANN", "SCR-W-5x60", "40"), ("NOBODY", "NUT-M10-934", "1")]


def small_book(price):
    b = b2bcore.BookBuilder()
    b.begin_table("settings", ["key", "value"])
    b.add_row(["base_currency", "EUR"])
    b.begin_table("products", ["sku", "list_price"])
    b.add_row(["A1", price], 2)
    b.begin_table("customers", ["id", "segment"])
    b.add_row(["C1", "retail"], 2)
    return b.finish()


class SnapshotCase(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    def path(self, name):
        return os.path.join(self.dir, name)


class TestOpen(SnapshotCase):
    def test_directory_and_snapshot_give_the_same_book(self):
        loaded = b2bcore.Book.open(BOOK)
        self.assertIsNone(loaded.snapshot_path)
        self.assertEqual(loaded.fingerprint, b2bcore.Book.load(BOOK).fingerprint)
        snap = self.path("book.b2bsnap")
        loaded.write_snapshot(snap)
        self.assertEqual(loaded.snapshot_path, snap)
        opened = b2bcore.Book.open(snap)
        self.assertEqual(opened.snapshot_path, snap)
        self.assertEqual(opened.fingerprint, loaded.fingerprint)
        self.assertEqual(opened.counts, loaded.counts)
        self.assertEqual(opened.unit_price_decimals, loaded.unit_price_decimals)
        self.assertEqual(opened.price("C-KRONE", "NUT-M10-934", "150", AS_OF).unit_price,
                         Decimal("6.6867"))
        for c, s, q in LINES[:3]:
            self.assertEqual(opened.price(c, s, q, AS_OF).document,
                             loaded.price(c, s, q, AS_OF).document)
        cols = list(zip(*LINES))
        self.assertEqual(opened.price_many(*cols, AS_OF), loaded.price_many(*cols, AS_OF))
        # without the whole-file checksum: the same book
        self.assertEqual(b2bcore.Book.open(snap, verify=False).fingerprint, loaded.fingerprint)

    def test_relative_path_is_kept_absolute(self):
        book = small_book("10.00")
        cwd = os.getcwd()
        os.chdir(self.dir)
        try:
            book.write_snapshot("rel.b2bsnap")
        finally:
            os.chdir(cwd)
        self.assertEqual(book.snapshot_path, self.path("rel.b2bsnap"))

    def test_neither_directory_nor_snapshot(self):
        text = self.path("products.csv")
        with open(text, "w") as f:
            f.write("sku,list_price\nA1,1.00\n")
        with self.assertRaisesRegex(b2bcore.Error, "neither a book directory nor a snapshot"):
            b2bcore.Book.open(text)
        with self.assertRaises(b2bcore.Error):
            b2bcore.Book.open(self.path("missing"))

    def test_damaged_snapshot_is_refused(self):
        snap = self.path("s.b2bsnap")
        small_book("10.00").write_snapshot(snap)
        with open(snap, "rb") as f:
            data = f.read()
        cut = self.path("cut.b2bsnap")
        with open(cut, "wb") as f:
            f.write(data[:len(data) // 2])
        with self.assertRaises(b2bcore.Error) as cm:
            b2bcore.Book.open(cut)
        self.assertNotEqual(cm.exception.status, 0)
        flipped = bytearray(data)
        flipped[len(data) - 1] ^= 0x40
        with open(cut, "wb") as f:
            f.write(flipped)
        with self.assertRaises(b2bcore.Error):
            b2bcore.Book.open(cut)          # the checksum sees the last byte

    def test_write_to_a_directory_that_does_not_exist(self):
        with self.assertRaises(b2bcore.Error):
            small_book("10.00").write_snapshot(self.path("no/such/dir/s.b2bsnap"))


class TestPickle(SnapshotCase):
    def test_without_snapshot_refused_with_the_remedy(self):
        book = small_book("10.00")
        with self.assertRaisesRegex(pickle.PicklingError, r"no snapshot.*write_snapshot"):
            pickle.dumps(book)

    def test_round_trip_in_process_reuses_the_book(self):
        book = small_book("10.00")
        book.write_snapshot(self.path("a.b2bsnap"))
        data = pickle.dumps(book)
        self.assertLess(len(data), 400)            # a reference, not the book
        self.assertIs(pickle.loads(data), book)
        self.assertIs(copy.copy(book), book)
        self.assertIs(copy.deepcopy(book), book)

    def test_round_trip_in_another_process(self):
        book = b2bcore.Book.load(BOOK)
        book.write_snapshot(self.path("book.b2bsnap"))
        data = pickle.dumps(book)
        child = (
            "import sys, pickle, b2bcore\n"
            "data = sys.stdin.buffer.read()\n"
            "a = pickle.loads(data); b = pickle.loads(data)\n"
            "print(a is b, b2bcore._stats['snapshot_opens'], a.fingerprint, a.snapshot_path,\n"
            "      a.price('C-KRONE', 'NUT-M10-934', '150', '2026-06-15').unit_price)\n")
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(PATH + sys.path))
        r = subprocess.run([sys.executable, "-c", child], input=data, capture_output=True,
                           env=env, timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        self.assertEqual(r.stdout.decode().split(),
                         ["True", "1", book.fingerprint, self.path("book.b2bsnap"), "6.6867"])

    def test_fingerprint_mismatch_refused(self):
        snap = self.path("s.b2bsnap")
        old = small_book("10.00")
        old.write_snapshot(snap)
        data = pickle.dumps(old)
        old_fp = old.fingerprint
        del old
        gc.collect()
        new = small_book("12.00")
        new.write_snapshot(snap)            # the file now holds another book
        with self.assertRaises(b2bcore.FingerprintMismatch) as cm:
            pickle.loads(data)
        e = cm.exception
        self.assertEqual((e.path, e.expected, e.found), (snap, old_fp, new.fingerprint))
        self.assertIn("replaced", str(e))
        self.assertIsInstance(e, b2bcore.Error)

    def test_weak_cache_reopens_once_released(self):
        snap = self.path("w.b2bsnap")
        small_book("11.00").write_snapshot(snap)
        gc.collect()                        # the writer is gone
        data = pickle.dumps(b2bcore.Book.open(snap))
        gc.collect()
        opens = b2bcore._stats["snapshot_opens"]
        a = pickle.loads(data)
        b = pickle.loads(data)
        self.assertIs(a, b)
        self.assertEqual(b2bcore._stats["snapshot_opens"], opens + 1)
        del a, b
        gc.collect()
        c = pickle.loads(data)
        self.assertEqual(b2bcore._stats["snapshot_opens"], opens + 2)
        self.assertEqual(c.price("C1", "A1", "1", AS_OF).unit_price, Decimal("11.00"))

    def test_missing_snapshot_file(self):
        snap = self.path("gone.b2bsnap")
        book = small_book("13.00")
        book.write_snapshot(snap)
        data = pickle.dumps(book)
        del book
        gc.collect()
        os.remove(snap)
        with self.assertRaises(b2bcore.Error) as cm:
            pickle.loads(data)
        self.assertIn("gone.b2bsnap", str(cm.exception))


if __name__ == "__main__":
    unittest.main()
