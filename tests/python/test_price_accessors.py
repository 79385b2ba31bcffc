"""Book.price reads its result through the library's accessors: the
PriceResult must hold exactly what the price document (b2b_price_to_json,
through _b2bcore's price_json) says, field by field, for every kind of
result: explained candidates, warnings, floors, other currencies and
channels, coupon codes, and error documents."""

import json
import os
import random
import unittest
from decimal import Decimal

import b2bcore

EXAMPLES = os.environ.get("B2B_EXAMPLES_DIR", "examples")
BOOK = os.path.join(EXAMPLES, "data", "book")


def read_csv_column(name, column):
    import csv
    with open(os.path.join(BOOK, name), newline="", encoding="utf-8") as f:
        return [row[column] for row in csv.DictReader(f)]


class TestPriceFromAccessors(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.book = b2bcore.Book.load(BOOK)
        cls.seen = {}

    def document(self, *req):
        """(status, text) of the C library's JSON document for req."""
        return self.book._c.price_json(*req)

    def compare(self, customer, sku, qty, as_of, currency=None, channel=None, codes=()):
        req = (customer, sku, qty, as_of, currency, channel, list(codes))
        try:
            status, text = self.document(*req)
        except b2bcore.Error as e:
            # the call could not run (an amount out of range): the same error
            with self.assertRaises(type(e), msg=req) as cm:
                self.book.price(*req[:6], codes=codes)
            self.assertEqual((str(cm.exception), cm.exception.status), (str(e), e.status))
            self.seen["raised"] = self.seen.get("raised", 0) + 1
            return
        doc = json.loads(text)
        if status != 0:
            with self.assertRaises(b2bcore.RequestError, msg=req) as cm:
                self.book.price(*req[:6], codes=codes)
            self.assertEqual(cm.exception.document, doc, req)
            self.assertEqual(list(cm.exception.document), ["errors"])
            self.assertEqual([list(e) for e in cm.exception.errors],
                             [["code", "message", "path"]] * len(doc["errors"]))
            self.assertEqual(cm.exception.errors, doc["errors"], req)
            self.assertEqual(str(cm.exception), str(b2bcore.RequestError(doc)))
            self.seen["errors"] = self.seen.get("errors", 0) + 1
            return
        r = self.book.price(*req[:6], codes=codes)
        # every attribute against the document's value
        for name in ("customer", "sku", "currency", "as_of", "channel", "protected",
                     "below_floor", "fingerprint"):
            self.assertEqual(getattr(r, name), doc[name], (name, req))
        for name in ("qty", "list_price", "unit_price", "amount", "discount_percent"):
            v = getattr(r, name)
            self.assertIsInstance(v, Decimal)
            self.assertEqual(str(v), doc[name], (name, req))   # the same digits, not only value
        if doc["floor"] is None:
            self.assertIsNone(r.floor)
        else:
            self.assertEqual(str(r.floor), doc["floor"], req)
        self.assertEqual([(s.step, s.source, str(s.before), str(s.after)) for s in r.waterfall],
                         [(s["step"], s["source"], s["before"], s["after"])
                          for s in doc["waterfall"]], req)
        self.assertEqual([(c.step, c.source, c.outcome, c.reason) for c in r.candidates],
                         [(c["step"], c["source"], c["outcome"], c["reason"])
                          for c in doc["candidates"]], req)
        self.assertEqual(r.warnings, doc["warnings"], req)
        # hints (SPEC §11): kind, message, then the kind's fields in order
        self.assertEqual([dict(kind=h.kind, message=h.message, **h.fields) for h in r.hints],
                         doc["hints"], req)
        self.assertEqual([[k for k in h if k not in ("kind", "message")] for h in doc["hints"]],
                         [list(h.fields) for h in r.hints], req)
        # the whole document: equal, keys in the same order, and written
        # back as JSON it is the library's text byte for byte
        self.assertEqual(r.document, doc, req)
        self.assertEqual(list(r.document), list(doc))
        self.assertEqual(json.dumps(r.document, indent=2, ensure_ascii=False) + "\n", text, req)
        self.assertIs(r.warnings, r.document["warnings"])
        self.assertIs(r.waterfall, r.waterfall)
        # the public constructor from a document gives the same result
        r2 = b2bcore.PriceResult(doc)
        self.assertEqual([(h.kind, h.message, h.fields) for h in r2.hints],
                         [(h.kind, h.message, h.fields) for h in r.hints])
        for name in ("customer", "qty", "unit_price", "amount", "floor", "warnings",
                     "document"):
            self.assertEqual(getattr(r2, name), getattr(r, name), name)
        self.assertEqual(repr(r2), repr(r))
        for key, hit in (("candidates passed", any(c.reason for c in r.candidates)),
                         ("candidate applied", any(c.reason is None for c in r.candidates)),
                         ("warnings", bool(r.warnings)), ("floor", r.floor is not None),
                         ("no floor", r.floor is None), ("no channel", r.channel is None),
                         ("protected", r.protected), ("below floor", r.below_floor),
                         ("not EUR", r.currency != "EUR"), ("priced", True),
                         ("hints", bool(r.hints))):
            if hit:
                self.seen[key] = self.seen.get(key, 0) + 1

    def test_every_customer_and_sku(self):
        customers = read_csv_column("customers.csv", "id")
        skus = read_csv_column("products.csv", "sku")
        for c in customers:
            for s in skus:
                self.compare(c, s, "150", "2026-06-15")
        self.assertGreater(self.seen.get("priced", 0), 400)

    def test_random_requests(self):
        rnd = random.Random(20260615)
        customers = read_csv_column("customers.csv", "id") + ["NOBODY"]
        skus = read_csv_column("products.csv", "sku") + ["NO-SUCH-SKU"]
        qtys = ["1", "3", "20", "25", "100", "150", "007.50", "0.125", "1000000", "0", "-2",
                "1e3", "abc", "5" + "0" * 27]
        dates = ["2026-06-15", "2026-03-15", "2026-07-02T08:30:00Z", "2025-12-31", "2026-13-01"]
        currencies = [None, None, "EUR", "USD", "CHF", "JPY", "XYZ"]
        channels = [None, None, "web", "sales", "marketplace"]
        codes = [(), (), ("PRO10",), ("BIG100", "NOPE"), ("NOPE", "NOPE", "PRO10")]
        for _ in range(3000):
            self.compare(rnd.choice(customers), rnd.choice(skus), rnd.choice(qtys),
                         rnd.choice(dates), rnd.choice(currencies), rnd.choice(channels),
                         rnd.choice(codes))

    @classmethod
    def tearDownClass(cls):
        # every kind of result was met (else the comparisons prove little)
        missing = [k for k in ("candidates passed", "candidate applied", "warnings", "floor",
                               "no floor", "protected", "not EUR", "errors", "raised", "hints")
                   if not cls.seen.get(k)]
        if missing:
            raise AssertionError("no request gave: %s" % ", ".join(missing))

    def test_examples(self):
        # the sample price request of examples/ (checked by hand there)
        r = self.book.price("C-KRONE", "NUT-M10-934", "150", "2026-06-15")
        with open(os.path.join(EXAMPLES, "data", "price_response.json"), encoding="utf-8") as f:
            self.assertEqual(json.dumps(r.document, indent=2) + "\n", f.read())
        self.assertEqual([(c.outcome, c.reason) for c in r.candidates],
                         [("applied", None), ("passed", "lower_priority"),
                          ("passed", "not_lower")])
        # a result is read-only
        with self.assertRaises(AttributeError):
            r.unit_price = Decimal("1")
        # an unknown code: one warning, and the line is priced all the same
        r = self.book.price("C-BAUMANN", "NUT-M10-934", "1", "2026-06-15", codes=["NOPE"])
        self.assertEqual([w["code"] for w in r.warnings], ["UNKNOWN_CODE"])
        self.assertEqual(r.document["warnings"], r.warnings)

    def test_arguments(self):
        b = self.book
        with self.assertRaisesRegex(ValueError, "embedded null"):
            b.price("C-KRONE\0x", "NUT-M10-934", "1", "2026-06-15")
        with self.assertRaisesRegex(TypeError, "codes"):
            b.price("C-KRONE", "NUT-M10-934", "1", "2026-06-15", codes="PRO10")
        with self.assertRaisesRegex(TypeError, "codes"):
            b.price("C-KRONE", "NUT-M10-934", "1", "2026-06-15", codes=[1])
        with self.assertRaisesRegex(TypeError, "float"):
            b.price("C-KRONE", "NUT-M10-934", 1.0, "2026-06-15")
        # Decimal and int quantities are sent as their exact text
        self.assertEqual(b.price("C-KRONE", "NUT-M10-934", Decimal("7.50"), "2026-06-15").qty,
                         Decimal("7.50"))
        self.assertEqual(str(b.price("C-KRONE", "NUT-M10-934", 150, "2026-06-15").unit_price),
                         "6.6867")
        # many codes (more than the C layer keeps on its stack)
        many = ["C%d" % i for i in range(40)]
        r = b.price("C-BAUMANN", "NUT-M10-934", "1", "2026-06-15", codes=many)
        self.assertEqual(len(r.warnings), 40)
        with self.assertRaises(TypeError):
            b._c.price("C-KRONE", "NUT-M10-934", "1", "2026-06-15", None, None)


class TestValidationFromAccessors(unittest.TestCase):
    """Book.validate builds the validation document from the accessors:
    the same as validate_json's text, for the sample orders and mutations
    of them that raise every kind of violation."""

    @classmethod
    def setUpClass(cls):
        cls.book = b2bcore.Book.load(BOOK)
        cls.orders = []
        for name in ("order_valid", "order_holds", "order_invalid"):
            with open(os.path.join(EXAMPLES, "data", "orders", name + ".json"),
                      encoding="utf-8") as f:
                cls.orders.append(json.load(f))

    def compare(self, order):
        text = json.dumps(order, ensure_ascii=False)
        try:
            valid, out = self.book._c.validate_json(text)
        except b2bcore.Error as e:
            with self.assertRaises(type(e)):
                self.book.validate(order)
            return None
        doc = self.book.validate(order)
        self.assertEqual(doc, json.loads(out), order)
        self.assertEqual(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", out)
        self.assertEqual(doc["valid"], valid)
        return doc

    def test_sample_orders_and_mutations(self):
        rnd = random.Random(7)
        codes = set()
        for order in self.orders:
            codes.update(v["code"] for v in self.compare(order)["violations"])
            for _ in range(300):
                o = json.loads(json.dumps(order))
                for _ in range(rnd.randint(1, 3)):
                    line = rnd.choice(o["lines"])
                    what = rnd.randrange(8)
                    if what == 0:
                        line["qty"] = rnd.choice(["1", "7", "0", "-3", "2.5", "x", "100000"])
                    elif what == 1:
                        line["unit_price"] = rnd.choice(["0.01", "99999", "1.2345", "-1", "abc"])
                    elif what == 2:
                        line["sku"] = rnd.choice(["NOPE", "SCR-M8x30-912", "HLM-EN397-WH"])
                    elif what == 3:
                        o["customer"] = rnd.choice(["NOBODY", "C-HOBBY", "C-GREATLAKES",
                                                    "C-BKTK", "C-HELVETIA"])
                    elif what == 4:
                        o["as_of"] = rnd.choice(["2026-01-01", "2027-06-15", "15.06.2026"])
                    elif what == 5:
                        o["codes"] = rnd.choice([[], ["PRO10"], ["NOPE"], ["BIG100", "X"]])
                    elif what == 6:
                        o.pop(rnd.choice(["customer", "lines", "as_of", "payment_terms"]), None)
                        if "lines" not in o:
                            break
                    else:
                        o["lines"].append(dict(line))
                doc = self.compare(o)
                if doc is not None:
                    codes.update(v["code"] for v in doc["violations"])
        self.assertGreaterEqual(len(codes), 8, sorted(codes))

    def test_not_json(self):
        with self.assertRaises(b2bcore.InvalidValue):
            self.book.validate('{"order_id": ')


if __name__ == "__main__":
    unittest.main()
