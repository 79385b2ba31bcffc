"""b2bcore in a second interpreter: the module keeps its types and
exceptions in its module state and declares per-interpreter GIL support
where CPython has the slot (3.12+), where the test runs it in an isolated
interpreter with its own GIL.

On 3.11 the second interpreter shares the GIL, and runs in a child
process that never destroys it: CPython 3.11's own _decimal (which
b2bcore imports) is not isolated, and destroying an interpreter that
imported it corrupts objects the main interpreter still uses (a debug
build of CPython aborts in _decimal.c)."""

import os
import subprocess
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
PATH = [os.path.dirname(os.path.dirname(os.path.abspath(b2bcore.__file__)))]

# Run in the second interpreter: writes what it saw to `out`.
SCRIPT = """
import sys
sys.path[:0] = %(path)r
import b2bcore
from b2bcore import _b2bcore
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
    f.write("%%s %%s %%d %%d" %% (r.unit_price, err, id(_b2bcore.Book), id(_b2bcore.Error)))
"""

# 3.11: the same in a child process, which exits without destroying the
# second interpreter; prints its result and this interpreter's class ids.
CHILD = """
import os, sys
sys.path[:0] = %(path)r
import _xxsubinterpreters as interp
from b2bcore import _b2bcore
i = interp.create()
interp.run_string(i, %(script)r, None)
with open(%(out)r) as f:
    print(f.read(), id(_b2bcore.Book), id(_b2bcore.Error))
sys.stdout.flush()
os._exit(0)
"""


@unittest.skipIf(_interp is None, "this Python has no subinterpreter module")
class TestSubinterpreter(unittest.TestCase):
    def run_in_second_interpreter(self):
        """(unit price, errors, the second interpreter's class ids, ours)."""
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, "out.txt")
            script = SCRIPT % {"path": PATH, "book": BOOK, "out": out}
            if sys.version_info < (3, 12):
                p = subprocess.run([sys.executable, "-c", CHILD % {
                    "path": PATH, "script": script, "out": out}],
                    capture_output=True, text=True, timeout=120)
                self.assertEqual(p.returncode, 0, p.stderr)
                words = p.stdout.split()
                return words[0], " ".join(words[1:3]), words[3:5], words[5:7]
            if sys.version_info >= (3, 13):
                interp = _interp.create("isolated")        # its own GIL
            else:
                interp = _interp.create(isolated=True)     # its own GIL
            try:
                if sys.version_info >= (3, 13):
                    failure = _interp.run_string(interp, script)
                    self.assertIsNone(failure)
                else:
                    _interp.run_string(interp, script, None)
            finally:
                _interp.destroy(interp)
            with open(out, encoding="utf-8") as f:
                words = f.read().split()
            ours = [str(id(b2bcore._b2bcore.Book)), str(id(b2bcore._b2bcore.Error))]
            return words[0], " ".join(words[1:3]), words[3:5], ours

    def test_price_in_a_second_interpreter(self):
        price, errors, theirs, ours = self.run_in_second_interpreter()
        self.assertEqual((price, errors), ("6.6867", "UNKNOWN_CUSTOMER -12"))
        # the second interpreter has its own classes (module state), not ours
        self.assertEqual(set(theirs) & set(ours), set())
        # this interpreter's module is untouched
        self.assertEqual(str(b2bcore.Book.load(BOOK).price("C-KRONE", "NUT-M10-934", "150",
                                                           "2026-06-15").unit_price), "6.6867")


if __name__ == "__main__":
    unittest.main()
