"""b2bcore: Book.price_json, Book.validate_json and RequestError.text give
the library's JSON text, byte for byte what the b2b program writes."""

import os
import subprocess
import unittest

import b2bcore

EXAMPLES = os.environ.get("B2B_EXAMPLES_DIR", "examples")
DATA = os.path.join(EXAMPLES, "data")
BOOK = os.path.join(DATA, "book")
CLI = os.environ.get("B2B_CLI")


def read(name):
    with open(os.path.join(DATA, name), encoding="utf-8") as f:
        return f.read()


def cli(*args, stdin=None):
    """(exit status, stdout text) of `b2b ARGS`."""
    p = subprocess.run([CLI] + list(args), input=stdin, capture_output=True, timeout=60)
    return p.returncode, p.stdout.decode("utf-8")


class TestJsonText(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.book = b2bcore.Book.load(BOOK)

    def test_price_golden(self):
        out = self.book.price_json("C-KRONE", "NUT-M10-934", "150", "2026-06-15")
        self.assertEqual(out, read("price_response.json"))

    def test_price_missing_fields_are_malformed(self):
        with self.assertRaises(b2bcore.RequestError) as cm:
            self.book.price_json(None, "NUT-M10-934", None, "2026-06-15")
        self.assertEqual([(e["code"], e["path"]) for e in cm.exception.errors],
                         [("MALFORMED", "customer"), ("MALFORMED", "qty")])
        self.assertTrue(cm.exception.text.startswith('{\n  "errors": [\n'))
        self.assertTrue(cm.exception.text.endswith("}\n"))

    def test_price_rejects_a_str_for_codes(self):
        with self.assertRaises(TypeError):
            self.book.price_json("C-KRONE", "NUT-M10-934", "1", "2026-06-15", codes="SPRING")

    def test_quote_error_text(self):
        with open(os.path.join(EXAMPLES, "..", "tests", "data", "quote", "errors_request.json"),
                  encoding="utf-8") as f:
            request = f.read()
        with self.assertRaises(b2bcore.RequestError) as cm:
            self.book.quote_json(request)
        with open(os.path.join(EXAMPLES, "..", "tests", "data", "quote", "errors_response.json"),
                  encoding="utf-8") as f:
            self.assertEqual(cm.exception.text, f.read())

    def test_validate_golden(self):
        for name, valid in (("valid", True), ("holds", True), ("invalid", False)):
            with self.subTest(order=name):
                got = self.book.validate_json(read("orders/order_%s.json" % name).encode())
                self.assertEqual(got, (valid, read("orders/order_%s.expected.json" % name)))

    def test_validate_broken_json(self):
        with self.assertRaises(b2bcore.InvalidValue) as cm:
            self.book.validate_json('{"order_id": ')
        self.assertEqual((cm.exception.line, cm.exception.column), (1, 14))

    @unittest.skipUnless(CLI, "B2B_CLI not set")
    def test_price_same_as_cli(self):
        cases = [
            ("C-KRONE", "NUT-M10-934", "150", "2026-06-15", None, None, ()),
            ("C-HELVETIA", "MSR-LASER-50", "1", "2026-06-15", None, None, ()),
            ("C-NOBODY", "NOPE", "0", "2026-06-15", "USD", "web", ("SPRING", "X")),
            (None, None, None, None, None, None, ()),
            ("C-KRONE", "NUT-M10-934", "1.5e2", "2026-13-01", None, None, ()),
        ]
        names = ("customer", "sku", "qty", "as-of", "currency", "channel")
        for case in cases:
            with self.subTest(case=case):
                args = ["price", "--book", BOOK]
                for n, v in zip(names, case):
                    if v is not None:
                        args += ["--" + n, v]
                for c in case[6]:
                    args += ["--code", c]
                status, expected = cli(*args)
                try:
                    got, got_status = self.book.price_json(*case[:6], codes=case[6]), 0
                except b2bcore.RequestError as e:
                    got, got_status = e.text, 1
                self.assertEqual((got_status, got), (status, expected))


if __name__ == "__main__":
    unittest.main()
