"""b2bcore: loading and building books, errors, floats refused."""

import os
import unittest
from decimal import Decimal

import b2bcore

EXAMPLES = os.environ.get("B2B_EXAMPLES_DIR", "examples")


def tiny_book(extra_products=()):
    b = b2bcore.BookBuilder()
    b.begin_table("settings", ["key", "value"])
    b.add_row(["base_currency", "EUR"])
    b.begin_table("products", ["sku", "list_price", "cost"])
    b.add_row(["A1", "10.00", "6.00"], 2)
    b.add_row(["B2", Decimal("19.90"), ""], 3)
    for row in extra_products:
        b.add_row(row)
    b.begin_table("customers", ["id", "segment"])
    b.add_row(["C1", "retail"], 2)
    return b.finish()


class TestBook(unittest.TestCase):
    def test_builder_counts_and_fingerprint(self):
        book = tiny_book()
        self.assertEqual(book.counts["products"], 2)
        self.assertEqual(book.counts["customers"], 1)
        self.assertEqual(book.base_currency, "EUR")
        self.assertRegex(book.fingerprint, r"^[0-9a-f]{64}$")
        # the same content gives the same fingerprint
        self.assertEqual(tiny_book().fingerprint, book.fingerprint)
        self.assertGreater(book.memory, 0)

    def test_book_error_lists_every_problem(self):
        b = b2bcore.BookBuilder()
        b.begin_table("products", ["sku", "list_price"])
        b.add_row(["A1", "1,50"], 2)
        b.add_row(["A2", "-1"], 3)
        with self.assertRaises(b2bcore.BookError) as cm:
            b.finish()
        problems = cm.exception.problems
        self.assertGreaterEqual(len(problems), 2)
        self.assertEqual(problems[0][1:3], (2, 2))
        self.assertEqual(problems[1][1:3], (3, 2))
        self.assertIsInstance(cm.exception, ValueError)
        self.assertIsInstance(cm.exception, b2bcore.Error)

    def test_float_refused(self):
        b = b2bcore.BookBuilder()
        b.begin_table("products", ["sku", "list_price"])
        with self.assertRaisesRegex(TypeError, "float"):
            b.add_row(["A1", 10.5])

    def test_unknown_table(self):
        b = b2bcore.BookBuilder()
        with self.assertRaises(b2bcore.NotFound) as cm:
            b.begin_table("pricelists", ["id"])
        self.assertIsInstance(cm.exception, LookupError)

    def test_load_missing_dir(self):
        with self.assertRaises(b2bcore.Error):
            b2bcore.Book.load("/nonexistent/book")

    def test_book_cannot_be_instantiated(self):
        with self.assertRaises(TypeError):
            b2bcore.Book(None)


class TestStubs(unittest.TestCase):
    def test_stub_names_match_the_module(self):
        import ast
        stub = os.path.join(os.path.dirname(b2bcore.__file__), "__init__.pyi")
        with open(stub, encoding="utf-8") as f:
            tree = ast.parse(f.read())
        names = {n.name for n in tree.body if isinstance(n, (ast.ClassDef, ast.FunctionDef))}
        names |= {t.id for n in tree.body if isinstance(n, ast.AnnAssign) for t in [n.target]}
        for name in b2bcore.__all__:
            self.assertIn(name, names, name)
        for cls in ("Book", "BookBuilder"):
            stub_methods = {m.name for n in tree.body if isinstance(n, ast.ClassDef) and n.name == cls
                            for m in n.body if isinstance(m, ast.FunctionDef)}
            public = {m for m in dir(getattr(b2bcore, cls)) if not m.startswith("_")}
            self.assertEqual(public - stub_methods, set(), cls)


if __name__ == "__main__":
    unittest.main()
