"""b2bcore: lint (SPEC §12) from Python: b2bcore.lint(path) and Book.lint()."""

import json
import os
import shutil
import tempfile
import unittest

import b2bcore

EXAMPLES = os.environ.get("B2B_EXAMPLES_DIR", "examples")
BOOK = os.path.join(EXAMPLES, "data", "book")
GOLDEN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "lint")


def golden(name):
    with open(os.path.join(GOLDEN, name), encoding="utf-8") as f:
        return json.load(f)


class TestLint(unittest.TestCase):
    def test_directory_is_the_golden_document(self):
        self.assertEqual(b2bcore.lint(BOOK), golden("sample_book.json"))
        self.assertEqual(b2bcore.lint(BOOK, as_of="2026-07-01"),
                         golden("sample_book_2026-07-01.json"))

    def test_loaded_book_gives_the_same_findings(self):
        book = b2bcore.Book.load(BOOK)
        doc = book.lint()
        self.assertEqual(doc, golden("sample_book.json"))
        self.assertEqual(doc["fingerprint"], book.fingerprint)
        expired = [f for f in book.lint("2026-07-01")["findings"] if f["code"] == "EXPIRED"]
        # the WHOLESALE break ending 2026-06-01 and three promotions (half-open windows)
        self.assertEqual([(f["file"], f["line"]) for f in expired],
                         [("price_list_items.csv", 8), ("promotions.csv", 2),
                          ("promotions.csv", 4), ("promotions.csv", 6)])
        self.assertTrue(all(f["severity"] == "info" for f in expired))

    def test_row_order_changes_only_the_lines(self):
        # every file's rows reversed: the same findings, each on its row's new
        # line (a file of n rows: line k becomes n + 3 - k); only NO_FX_PATH's
        # example product may differ (the first product of the currency by line)
        d = tempfile.mkdtemp()
        try:
            rows = {}
            for name in os.listdir(BOOK):
                with open(os.path.join(BOOK, name), encoding="utf-8") as f:
                    lines = f.read().splitlines(True)
                rows[name] = len(lines) - 1
                with open(os.path.join(d, name), "w", encoding="utf-8") as f:
                    f.write("".join(lines[:1] + lines[:0:-1]))

            def moved(file, line):
                return rows[file] + 3 - line

            def key(f, mapped):
                line = moved(f["file"], f["line"]) if mapped else f["line"]
                if f["code"] == "NO_FX_PATH":
                    return (f["file"], line, f["code"])
                related = [r.split(":") for r in f.get("related", [])]
                related = ["%s:%d" % (r, moved(r, int(n)) if mapped else int(n))
                           for r, n in related]
                return (f["file"], line, f["code"], f["message"], tuple(related))

            want = sorted(key(f, True) for f in b2bcore.lint(BOOK, "2026-07-01")["findings"])
            doc = b2bcore.lint(d, "2026-07-01")
            got = [key(f, False) for f in doc["findings"]]
            self.assertEqual(got, want)
            self.assertEqual(doc["fingerprint"], b2bcore.Book.load(BOOK).fingerprint)
        finally:
            shutil.rmtree(d)

    def test_a_book_that_does_not_load_is_reported(self):
        d = tempfile.mkdtemp()
        try:
            with open(os.path.join(d, "products.csv"), "w", encoding="utf-8") as f:
                f.write("sku,list_price\nA1,10\nA2,-1\n")
            doc = b2bcore.lint(d)
            self.assertIsNone(doc["fingerprint"])
            self.assertEqual([(f["code"], f["severity"], f["file"], f["line"])
                              for f in doc["findings"]],
                             [("LOAD_ERROR", "error", "products.csv", 3)])
            with self.assertRaises(b2bcore.BookError):
                b2bcore.Book.load(d)
        finally:
            shutil.rmtree(d)

    def test_builder_book_and_errors(self):
        b = b2bcore.BookBuilder()
        b.begin_table("products", ["sku", "list_price", "cost"])
        b.add_row(["A1", "10", "5"], 2)
        b.begin_table("price_lists", ["id"])
        b.add_row(["NOBODY"], 2)
        book = b.finish()
        doc = book.lint()
        self.assertEqual([(f["code"], f["file"], f["line"]) for f in doc["findings"]],
                         [("UNREACHABLE_LIST", "price_lists.csv", 2)])
        self.assertIsNone(doc["as_of"])
        with self.assertRaises(b2bcore.Error):
            book.lint("2026-13-01")
        with self.assertRaises(b2bcore.Error):
            b2bcore.lint(os.path.join(EXAMPLES, "no-such-book"))


if __name__ == "__main__":
    unittest.main()
