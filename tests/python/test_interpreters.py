"""b2bcore in a second interpreter: the module keeps its types and
exceptions in its module state and declares per-interpreter GIL support
where CPython has the slot (3.12+); on 3.11 the interpreter shares the
GIL, and the test checks the module works there all the same."""

import os
import sys
import tempfile
import unittest

import b2bcore

try:                                   # 3.13+
    import _interpreters as _interp
except ImportError:
    try:                               # 3.8-3.12
        import _xxsubinterpreters as _interp
    except ImportError:
        _interp = None

EXAMPLES = os.environ.get("B2B_EXAMPLES_DIR", "examples")
BOOK = os.path.abspath(os.path.join(EXAMPLES, "data", "book"))

SCRIPT = """
import sys
sys.path[:0] = %(path)r
import b2bcore
book = b2bcore.Book.load(%(book)r)
r = book.price("C-KRONE", "NUT-M10-934", "150", "2026-06-15")
try:
    book.price("NOBODY", "NUT-M10-934", "1", "2026-06-15")
    err = "none"
except b2bcore.RequestError as e:
    err = e.errors[0]["code"]
try:
    b2bcore.Book.load("/nonexistent/book")
except b2bcore.Error as e:
    err += " %%d" %% e.status
with open(%(out)r, "w") as f:
    f.write("%%s %%s %%s" %% (r.unit_price, err, b2bcore.Error is b2bcore._b2bcore.Error))
"""


@unittest.skipIf(_interp is None, "this Python has no subinterpreter module")
class TestSubinterpreter(unittest.TestCase):
    def create(self):
        if sys.version_info >= (3, 13):
            return _interp.create("isolated")   # its own GIL
        if sys.version_info >= (3, 12):
            return _interp.create(isolated=True)
        return _interp.create()

    def test_price_in_a_second_interpreter(self):
        path = [os.path.dirname(os.path.dirname(b2bcore.__file__))]
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, "out.txt")
            interp = self.create()
            try:
                if sys.version_info >= (3, 13):
                    _interp.run_string(interp, SCRIPT % {"path": path, "book": BOOK, "out": out})
                else:
                    _interp.run_string(interp, SCRIPT % {"path": path, "book": BOOK, "out": out},
                                       None)
            finally:
                _interp.destroy(interp)
            with open(out, encoding="utf-8") as f:
                self.assertEqual(f.read(), "6.6867 UNKNOWN_CUSTOMER -12 True")
        # this interpreter's module is untouched
        self.assertEqual(str(b2bcore.Book.load(BOOK).price("C-KRONE", "NUT-M10-934", "150",
                                                           "2026-06-15").unit_price), "6.6867")

    def test_modules_are_distinct_per_interpreter(self):
        # the classes of the second interpreter are not this one's: compare ids
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, "ids.txt")
            script = ("import sys\nsys.path[:0] = %r\nfrom b2bcore import _b2bcore\n"
                      "open(%r, 'w').write('%%d %%d' %% (id(_b2bcore.Book), id(_b2bcore.Error)))\n"
                      % ([os.path.dirname(os.path.dirname(b2bcore.__file__))], out))
            interp = self.create()
            try:
                if sys.version_info >= (3, 13):
                    _interp.run_string(interp, script)
                else:
                    _interp.run_string(interp, script, None)
            finally:
                _interp.destroy(interp)
            with open(out, encoding="utf-8") as f:
                ids = [int(x) for x in f.read().split()]
        self.assertNotIn(id(b2bcore._b2bcore.Book), ids)
        self.assertNotIn(id(b2bcore._b2bcore.Error), ids)


if __name__ == "__main__":
    unittest.main()
