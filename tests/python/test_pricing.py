"""b2bcore: the sample book's golden documents reproduced through Python,
errors, floats refused, threads, and no leaks."""

import gc
import json
import os
import sys
import threading
import unittest
from array import array
from decimal import Decimal

import b2bcore

EXAMPLES = os.environ.get("B2B_EXAMPLES_DIR", "examples")
DATA = os.path.join(EXAMPLES, "data")
BOOK = os.path.join(DATA, "book")


def read(name):
    with open(os.path.join(DATA, name), encoding="utf-8") as f:
        return f.read()


class TestGolden(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.book = b2bcore.Book.load(BOOK)

    def test_quote_bytes(self):
        # the same bytes as `b2b quote`, checked by hand against examples/README.md
        out = self.book.quote_json(read("quote_request.json"))
        self.assertEqual(out, read("quote_response.json"))

    def test_quote_dict(self):
        doc = self.book.quote(json.loads(read("quote_request.json"), parse_float=Decimal))
        self.assertEqual(doc, json.loads(read("quote_response.json")))
        self.assertEqual(doc["total"], "3901.76")
        self.assertEqual(doc["fingerprint"], self.book.fingerprint)

    def test_price(self):
        r = self.book.price("C-KRONE", "NUT-M10-934", Decimal("150"), "2026-06-15")
        self.assertEqual(r.document, json.loads(read("price_response.json")))
        self.assertEqual(r.unit_price, Decimal("6.6867"))
        self.assertEqual(r.amount, Decimal("1003.01"))
        self.assertEqual([s.step for s in r.waterfall], ["list", "price_list", "rounding"])
        self.assertIsInstance(r.waterfall[1].after, Decimal)

    def test_orders(self):
        for name in ("order_valid", "order_holds", "order_invalid"):
            expected_path = os.path.join(DATA, "orders", name + ".expected.json")
            doc = self.book.validate(json.loads(read("orders/%s.json" % name)))
            if os.path.exists(expected_path):
                with open(expected_path, encoding="utf-8") as f:
                    self.assertEqual(doc, json.load(f), name)
            self.assertEqual(doc["valid"], name != "order_invalid", name)

    def test_quote_lifecycle(self):
        q = self.book.quote(json.loads(read("quote_request.json")))
        s = b2bcore.transition(q, "submit")
        self.assertEqual(s["status"], "submitted")
        # level 2 approval is required: it cannot be sent yet
        with self.assertRaisesRegex(b2bcore.Error, "submitted"):
            b2bcore.transition(s, "send")
        a = b2bcore.transition(s, "approve")
        self.assertEqual(b2bcore.transition(a, "send")["status"], "sent")
        new, changes = self.book.reprice(q)
        self.assertEqual(new["revision"], 2)
        self.assertEqual(changes["changes"], [])


class TestErrors(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.book = b2bcore.Book.load(BOOK)

    def test_request_error_lists_every_problem(self):
        with self.assertRaises(b2bcore.RequestError) as cm:
            self.book.quote({"quote_id": "Q", "customer": "C-KRONE", "as_of": "2026-06-15",
                             "lines": [{"sku": "NOPE", "qty": "1"},
                                       {"sku": "NUT-M10-934", "qty": "0"}]})
        codes = [(e["code"], e["path"]) for e in cm.exception.errors]
        self.assertEqual(codes, [("UNKNOWN_SKU", "lines[0].sku"),
                                 ("QTY_NOT_POSITIVE", "lines[1].qty")])
        self.assertIsInstance(cm.exception, ValueError)

    def test_price_unknown_customer(self):
        with self.assertRaises(b2bcore.RequestError) as cm:
            self.book.price("NOBODY", "NUT-M10-934", "1", "2026-06-15")
        self.assertEqual(cm.exception.errors[0]["code"], "UNKNOWN_CUSTOMER")
        self.assertEqual(cm.exception.errors[0]["path"], "customer")

    def test_float_refused_everywhere(self):
        with self.assertRaisesRegex(TypeError, "float"):
            self.book.price("C-KRONE", "NUT-M10-934", 1.5, "2026-06-15")
        with self.assertRaisesRegex(TypeError, r"lines\[0\]\.qty.*float"):
            self.book.quote({"quote_id": "Q", "customer": "C-KRONE", "as_of": "2026-06-15",
                             "lines": [{"sku": "NUT-M10-934", "qty": 2.0}]})
        with self.assertRaisesRegex(TypeError, "float"):
            self.book.price_many(["C-KRONE"], ["NUT-M10-934"], [2.0], "2026-06-15")

    def test_broken_json(self):
        with self.assertRaises(b2bcore.InvalidValue) as cm:
            self.book.quote_json('{"quote_id": ')
        self.assertEqual(cm.exception.line, 1)

    def test_transition_unknown_event(self):
        q = self.book.quote(json.loads(read("quote_request.json")))
        with self.assertRaises(b2bcore.InvalidValue):
            b2bcore.transition(q, "teleport")


class TestBatch(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.book = b2bcore.Book.load(BOOK)

    def test_price_many_matches_price(self):
        req = json.loads(read("quote_request.json"))
        skus = [l["sku"] for l in req["lines"]]
        qtys = [Decimal(l["qty"]) for l in req["lines"]]
        customers = ["C-KRONE"] * len(skus)
        many = self.book.price_many(customers, skus, qtys, "2026-06-15")
        for sku, qty, got in zip(skus, qtys, many):
            try:
                one = self.book.price("C-KRONE", sku, qty, "2026-06-15").unit_price
            except b2bcore.RequestError:
                one = None
            self.assertEqual(got, one, sku)

    def test_scaled_with_handles_and_buffers(self):
        c = self.book.find_customers(["C-KRONE", "C-KRONE", "NOBODY"])
        s = self.book.find_products(["NUT-M10-934", "NOPE", "NUT-M10-934"])
        prices, problems = self.book.price_many(c, s, array("q", [150, 1, 1]), "2026-06-15",
                                                scaled=True)
        self.assertEqual(list(prices), [66867, 0, 0])
        self.assertEqual([b2bcore.PROBLEMS[p] for p in problems],
                         ["OK", "UNKNOWN_SKU", "UNKNOWN_CUSTOMER"])


class TestThreadsAndLeaks(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.book = b2bcore.Book.load(BOOK)
        cls.request = read("quote_request.json")

    def test_eight_threads_same_results(self):
        expected = self.book.quote_json(self.request)
        prices = [str(self.book.price("C-KRONE", "NUT-M10-934", q, "2026-06-15").unit_price)
                  for q in ("1", "20", "150", "999")]
        failures = []

        def work():
            for _ in range(200):
                if self.book.quote_json(self.request) != expected:
                    failures.append("quote")
                for q, p in zip(("1", "20", "150", "999"), prices):
                    if str(self.book.price("C-KRONE", "NUT-M10-934", q,
                                           "2026-06-15").unit_price) != p:
                        failures.append("price")

        threads = [threading.Thread(target=work) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(failures, [])

    def test_reference_counts_stable(self):
        customer, sku, qty, as_of = "C-KRONE", "NUT-M10-934", "150", "2026-06-15"
        c = self.book._c
        before = [sys.getrefcount(x) for x in (customer, sku, qty, as_of, c, None, True)]
        gc.collect()
        objects = len(gc.get_objects())
        for _ in range(100000):
            c.price_json(customer, sku, qty, as_of, None, None, ())
        for _ in range(2000):
            c.quote_json(self.request)
        gc.collect()
        after = [sys.getrefcount(x) for x in (customer, sku, qty, as_of, c, None, True)]
        self.assertEqual(before[:5], after[:5])
        self.assertLess(abs(after[5] - before[5]), 50)   # None/True: shared, noisy
        self.assertLess(len(gc.get_objects()) - objects, 50)


class TestReadmeExample(unittest.TestCase):
    def test_readme_python_example_runs(self):
        readme = os.path.join(EXAMPLES, "..", "README.md")
        with open(readme, encoding="utf-8") as f:
            text = f.read()
        start = text.index("<!-- python-example -->")
        block = text[text.index("```python", start) + len("```python"):]
        block = block[:block.index("```")]
        cwd = os.getcwd()
        os.chdir(os.path.join(EXAMPLES, ".."))
        try:
            from io import StringIO
            from contextlib import redirect_stdout
            out = StringIO()
            with redirect_stdout(out):
                exec(compile(block, "README.md", "exec"), {})
        finally:
            os.chdir(cwd)
        self.assertIn("3901.76", out.getvalue())


class TestLoyalty(unittest.TestCase):
    """SPEC §10 through Python: the rebate fields are plain members of the
    quote document (examples/README.md "Loyalty")."""

    @classmethod
    def setUpClass(cls):
        cls.book = b2bcore.Book.load(os.path.join(DATA, "book-loyalty"))

    def test_quote_bytes(self):
        out = self.book.quote_json(read("quote_request_loyalty.json"))
        self.assertEqual(out, read("quote_response_loyalty.json"))

    def test_rebates(self):
        doc = self.book.quote(json.loads(read("quote_request_loyalty.json"), parse_float=Decimal))
        self.assertEqual(doc["rebates"], [{"agreement": "KR-2026-REBATE", "tier": "100000",
                                           "volume": "100964.64", "accrual": "46.30"}])
        self.assertEqual(doc["rebate_total"], "46.30")
        self.assertEqual([l["rebate"] for l in doc["lines"]], ["21.66", "18.97", "5.67"])
        self.assertEqual(self.book.counts["volume_agreements"], 2)
        self.assertEqual(self.book.counts["customer_volumes"], 2)

    def test_price_alone(self):
        # V = 820 + 150 = 970: the 2 % tier (the quote reaches 3.5 % with its other line)
        r = self.book.price("C-KRONE", "NUT-M10-934", "150", "2026-06-15")
        self.assertEqual(str(r.unit_price), "6.5529")


if __name__ == "__main__":
    unittest.main()
