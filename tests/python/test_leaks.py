"""b2bcore: every exception the module raises, 100,000 times each, leaves
no object behind; error paths release what they took."""

import gc
import os
import sys
import unittest
from array import array

import b2bcore
from b2bcore import _b2bcore

try:   # built for the tests by meson (tests/python/_b2bcore_test.c)
    import _b2bcore_test
except ImportError:
    _b2bcore_test = None

EXAMPLES = os.environ.get("B2B_EXAMPLES_DIR", "examples")
BOOK = os.path.join(EXAMPLES, "data", "book")
AS_OF = "2026-06-15"

N = 100000
# A leak of one object per raise leaves N blocks (or N references) behind;
# every test below makes at least 20,000 calls of the leaking kind. What
# the interpreter itself keeps after the warm-up does not grow with N: its
# free lists (up to 80 dicts, 80 lists, 2,000 tuples of each small size)
# fill up to the loop's peak, and its caches settle; measured here from 0
# to about 100 blocks, with 3 references on a debug build. A tolerance of
# 1,000 stays an order of magnitude away from both.
BLOCKS_TOLERANCE = 1000
# sys.gettotalrefcount (debug builds of CPython only) counts every
# reference: the same reasoning.
REFS_TOLERANCE = 1000


def count(fn, n):
    """Run fn n times; return (blocks, total references or None, and the
    reference counts of the small ints used as statuses) left behind."""
    statuses = list(range(-15, 0))
    for _ in range(1000):   # warm-up: caches fill on the first calls
        fn()
    gc.collect()
    total = getattr(sys, "gettotalrefcount", None)
    ints0 = [sys.getrefcount(s) for s in statuses]
    refs0 = total() if total else None
    blocks0 = sys.getallocatedblocks()
    for _ in range(n):
        fn()
    gc.collect()
    blocks = sys.getallocatedblocks() - blocks0
    refs = total() - refs0 if total else None
    ints1 = [sys.getrefcount(s) for s in statuses]
    ints = [b - a for a, b in zip(ints0, ints1)]
    return blocks, refs, ints


class TestNoLeakPerException(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.book = b2bcore.Book.load(BOOK)

    def check_raises(self, exc_type, fn, **attrs):
        """fn must raise exc_type (with these attributes), and raising it N
        times must leave nothing behind."""
        with self.assertRaises(exc_type) as cm:
            fn()
        for name, value in attrs.items():
            self.assertEqual(getattr(cm.exception, name), value, name)

        def once():
            try:
                fn()
            except exc_type:
                pass

        blocks, refs, ints = count(once, N)
        self.assertLess(abs(blocks), BLOCKS_TOLERANCE, "allocated blocks after %d raises" % N)
        if refs is not None:
            self.assertLess(abs(refs), REFS_TOLERANCE, "total references after %d raises" % N)
        # statuses are small ints, shared objects: a leaked status shows
        # only in their reference counts (not in the allocated blocks)
        self.assertEqual([d for d in ints if abs(d) > 10], [], "status references")

    def test_error(self):
        # EIO, with the ctx detail (file) set
        self.check_raises(b2bcore.Error, lambda: _b2bcore.Book.load("/nonexistent/book"),
                          status=-12, file="/nonexistent/book", line=0, column=0, path="")

    def test_error_illegal_transition(self):
        with open(os.path.join(EXAMPLES, "data", "quote_request.json"), encoding="utf-8") as f:
            q = self.book.quote_json(f.read())
        self.check_raises(b2bcore.Error, lambda: _b2bcore.transition(q, "send", None),
                          status=-9)

    def test_not_found(self):
        # an unknown currency in a batch: raised without a ctx
        c, s = self.book.find_customers(["C-KRONE"]), self.book.find_products(["NUT-M10-934"])
        q = array("q", [1])
        self.check_raises(b2bcore.NotFound,
                          lambda: self.book._c.price_many(c, s, q, AS_OF, "XXX"), status=-4)

    def test_invalid_value(self):
        # EPARSE with line, column and JSON path: 14 is the column after
        # the 13 characters of the text
        self.check_raises(b2bcore.InvalidValue, lambda: self.book._c.quote_json('{"quote_id": '),
                          status=-10, line=1, column=14, path="quote_id")

    def test_invalid_argument(self):
        # the binding's own check of an argument (no C call): status B2B_EINVAL
        self.check_raises(b2bcore.InvalidValue,
                          lambda: self.book._c.price_many(["C-KRONE"], ["NUT-M10-934"], ["1,5"],
                                                          AS_OF, None),
                          status=-2)

    def test_overflow(self):
        # 5·10^27 × 6.3 leaves the range (|x| < 10^28) when the amount is computed
        qty = "5" + "0" * 27
        self.check_raises(b2bcore.Overflow,
                          lambda: self.book._c.price_json("C-KRONE", "NUT-M10-934", qty, AS_OF,
                                                          None, None, ()),
                          status=-5, path="qty")

    def test_book_error(self):
        def bad_book():
            b = _b2bcore.BookBuilder()
            b.begin_table("products", ["sku", "list_price"])
            b.add_row(["A1", "1,50"], 2)
            b.finish()

        self.check_raises(b2bcore.BookError, bad_book, status=-13)

    def test_request_error(self):
        self.check_raises(b2bcore.RequestError,
                          lambda: self.book.price("NOBODY", "NUT-M10-934", "1", AS_OF))

    @unittest.skipIf(_b2bcore_test is None, "needs the _b2bcore_test module of the build")
    def test_currency_mismatch(self):
        # no call of the API returns B2B_ECURRENCY today (a missing rate is
        # a NO_FX_RATE problem of the request): the module's mapping is
        # raised directly, with a ctx detail
        self.check_raises(b2bcore.CurrencyMismatch,
                          lambda: _b2bcore_test.raise_status(_b2bcore, -6, "no rate EUR to XYZ",
                                                             "fx_rates.csv", 3, 7, "currency"),
                          status=-6, file="fx_rates.csv", line=3, column=7, path="currency")


# Status → exception, as README "Python" and bindings/python/errors.c say.
STATUSES = {
    -1: "Error", -2: "InvalidValue", -3: MemoryError, -4: "NotFound", -5: "Overflow",
    -6: "CurrencyMismatch", -7: "Error", -8: "Error", -9: "Error", -10: "InvalidValue",
    -11: "InvalidValue", -12: "Error", -13: "BookError", -14: "Overflow", -15: "Error",
}


@unittest.skipIf(_b2bcore_test is None, "needs the _b2bcore_test module of the build")
class TestEveryStatus(unittest.TestCase):
    def raise_(self, rc, *detail):
        return _b2bcore_test.raise_status(_b2bcore, rc, *detail)

    def test_classes_and_attributes(self):
        for rc, cls in STATUSES.items():
            cls = getattr(b2bcore, cls) if isinstance(cls, str) else cls
            with self.assertRaises(cls, msg=rc) as cm:
                self.raise_(rc)
            if cls is MemoryError:
                continue
            e = cm.exception
            self.assertIs(type(e), cls, rc)
            self.assertEqual(e.status, rc)
            # without a ctx: the status text, and no location attributes
            self.assertFalse(hasattr(e, "file"), rc)
            with self.assertRaises(cls) as cm:
                self.raise_(rc, "detail", "a.csv", 4, 2, "lines[1].qty")
            e = cm.exception
            if rc == -13:   # a book without diagnostics: no location, no problems
                self.assertEqual((str(e), e.problems), ("the book has errors", []))
            else:
                self.assertEqual((str(e), e.file, e.line, e.column, e.path),
                                 ("detail", "a.csv", 4, 2, "lines[1].qty"), rc)
        # b2b_strerror's text when there is no ctx
        self.assertEqual(str(self._raised(-4)), "not found")

    def _raised(self, rc, *detail):
        try:
            self.raise_(rc, *detail)
        except Exception as e:   # the one under test, whatever its class
            return e
        self.fail("nothing raised")

    def test_book_error_problems(self):
        e = self._raised(-13, None, "", 0, 0, "", [("products.csv", 3, 2, "list_price: bad"),
                                                   ("items.csv", 9, 1, "sku: unknown")])
        self.assertIsInstance(e, b2bcore.BookError)
        self.assertEqual(e.problems, [("products.csv", 3, 2, "error", "list_price: bad"),
                                      ("items.csv", 9, 1, "error", "sku: unknown")])
        self.assertEqual(str(e), "the book has errors; first: products.csv:3:2: list_price: bad")

    def test_every_status_leaves_nothing(self):
        def all_statuses():
            for rc in STATUSES:
                try:
                    self.raise_(rc, "detail", "a.csv", 4, 2, "lines[1].qty")
                except Exception:
                    pass
                try:
                    self.raise_(rc)
                except Exception:
                    pass

        n = 20000   # × 30 raises
        blocks, refs, ints = count(all_statuses, n)
        self.assertLess(abs(blocks), BLOCKS_TOLERANCE)
        if refs is not None:
            self.assertLess(abs(refs), REFS_TOLERANCE)
        self.assertEqual([d for d in ints if abs(d) > 10], [])


class TestNoLeakPerResult(unittest.TestCase):
    """The results read through the accessors: nothing is left behind."""

    @classmethod
    def setUpClass(cls):
        cls.book = b2bcore.Book.load(BOOK)
        with open(os.path.join(EXAMPLES, "data", "orders", "order_invalid.json"),
                  encoding="utf-8") as f:
            cls.order = f.read()

    def check(self, fn, n=20000):
        blocks, refs, ints = count(fn, n)
        self.assertLess(abs(blocks), BLOCKS_TOLERANCE, "allocated blocks after %d calls" % n)
        if refs is not None:
            self.assertLess(abs(refs), REFS_TOLERANCE)

    def test_price(self):
        def once():
            r = self.book.price("C-KRONE", "NUT-M10-934", "150", AS_OF, codes=["NOPE"])
            return r.document, r.waterfall, r.candidates, r.unit_price, r.floor

        self.check(once)

    def test_validate(self):
        self.check(lambda: self.book.validate(self.order))


class TestErrorPaths(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.book = b2bcore.Book.load(BOOK)

    def test_argument_errors_carry_a_status(self):
        with self.assertRaises(b2bcore.NotFound) as cm:
            _b2bcore.BookBuilder().begin_table("pricelists", ["id"])
        self.assertEqual((str(cm.exception), cm.exception.status),
                         ('unknown table "pricelists"', -4))
        with self.assertRaises(b2bcore.InvalidValue) as cm:
            self.book.price_many(["C-KRONE"], ["NUT-M10-934"], ["1"], "15.06.2026")
        self.assertEqual((str(cm.exception), cm.exception.status),
                         ('as_of: expected YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ, got "15.06.2026"',
                          -2))
        with self.assertRaises(b2bcore.InvalidValue) as cm:
            self.book.reprice({"quote_id": "Q"}, "2026-6-1")
        self.assertEqual(cm.exception.status, -2)
        with self.assertRaises(b2bcore.InvalidValue) as cm:
            self.book.price_many(["C-KRONE"], ["NUT-M10-934"], ["1,5"], AS_OF)
        self.assertEqual(str(cm.exception),
                         'qtys[0]: expected a decimal like 12.5, got "1,5" (malformed input)')

    def test_undecodable_path_is_still_the_library_error(self):
        # a file name that is not UTF-8 comes back as the os module gives it
        with self.assertRaises(b2bcore.Error) as cm:
            b2bcore.Book.load(b"/nonexistent/\xff")
        self.assertEqual(cm.exception.file, "/nonexistent/\udcff")
        self.assertIn("/nonexistent/\ufffd", str(cm.exception))

    def test_refused_buffer_is_released(self):
        # a buffer of the wrong type is refused and released: the array
        # can grow again (it cannot while a view of it is held)
        keys = array("H", [1, 2])
        with self.assertRaisesRegex(TypeError, r"array\('I', \.\.\.\) from find_customers"):
            self.book._c.find_handles(keys, False)
        keys.append(3)
        h = array("Q", [0])
        with self.assertRaises(TypeError):
            self.book._c.price_many(h, h, array("q", [1]), AS_OF, None)
        h.append(1)

    def test_integer_buffers_by_item_size(self):
        c = self.book.find_customers(["C-KRONE"])
        s = self.book.find_products(["NUT-M10-934"])
        # INDUSTRIAL's incremental breaks for 100 boxes: 20 × 7.20 + 80 × 6.80
        # = 688.00, 6.8800 a box (100 fits every integer type)
        for code in "bBhHiIlLqQ":
            prices, problems = self.book.price_many(c, s, array(code, [100]), AS_OF, scaled=True)
            self.assertEqual((list(prices), list(problems)), ([68800], [0]), code)
        with self.assertRaisesRegex(TypeError, "integers"):
            self.book.price_many(c, s, array("d", [150.0]), AS_OF)
        with self.assertRaisesRegex(TypeError, "integers"):
            self.book.price_many(c, s, memoryview(b"\x96\x00\x00\x00\x00\x00\x00\x00").cast("B")
                                 .cast("c"), AS_OF)

    def test_quantities_from_any_iterable(self):
        # the thin layer reads the quantities once, even from a generator
        units, problems, decimals = self.book._c.price_many(
            ["C-KRONE", "C-KRONE"], ["NUT-M10-934", "NUT-M10-934"], (q for q in ("150", "1")),
            AS_OF, None)
        self.assertEqual((len(units), list(problems), decimals), (16, [0, 0], 4))


if __name__ == "__main__":
    unittest.main()
