"""b2bcore.diff (SPEC §13) on two small books built in code."""
import unittest

import b2bcore


def build(rows):
    b = b2bcore.BookBuilder()
    for table, header, data in rows:
        b.begin_table(table, header)
        for r in data:
            b.add_row(r)
    return b.finish()


OLD = [
    ("products", ["sku", "category", "list_price"],
     [["A", "tools/hand", "10.00"], ["B", "x", "20.00"]]),
    ("customers", ["id"], [["C1"], ["C2"]]),
    ("price_lists", ["id", "applies_to"], [["L", "default"]]),
    ("price_list_items", ["list", "scope", "min_qty", "compute", "price"],
     [["L", "sku:A", "0", "fixed", "9.00"], ["L", "sku:A", "10", "fixed", "8.00"]]),
]
# the 10-break of A lowered to 7.20, B raised to 25.00, a product N added
NEW = [
    ("products", ["sku", "category", "list_price"],
     [["A", "tools/hand", "10.00"], ["B", "x", "25.00"], ["N", "", "5.00"]]),
    OLD[1], OLD[2],
    ("price_list_items", ["list", "scope", "min_qty", "compute", "price"],
     [["L", "sku:A", "0", "fixed", "9.00"], ["L", "sku:A", "10", "fixed", "7.20"]]),
]


class DiffTest(unittest.TestCase):
    def setUp(self):
        self.old = build(OLD)
        self.new = build(NEW)

    def test_document(self):
        d = b2bcore.diff(self.old, self.new, "2026-06-15")
        self.assertEqual(d["old"], self.old.fingerprint)
        self.assertEqual(d["new"], self.new.fingerprint)
        self.assertEqual(d["as_of"], "2026-06-15")
        self.assertEqual((d["probes"], d["changed"], d["raised"], d["lowered"],
                          d["now_unpriced"], d["now_priced"]), (8, 6, 2, 2, 0, 2))
        self.assertEqual(d["max_increase_percent"], "25.00")
        self.assertEqual(d["max_decrease_percent"], "-10.00")
        self.assertEqual([c["category"] for c in d["by_category"]], ["", "tools", "x"])
        self.assertEqual(d["rows"][0], {"customer": "C1", "sku": "A", "qty": "10",
                                        "old": "8.0000", "new": "7.2000",
                                        "change_percent": "-10.00"})
        self.assertEqual(d["rows"][2]["old"], "UNKNOWN_SKU")
        self.assertIsNone(d["rows"][2]["change_percent"])

    def test_customers_and_limit(self):
        d = b2bcore.diff(self.old, self.new, "2026-06-15", customers=["C2"], limit=1)
        self.assertEqual((d["probes"], d["changed"], len(d["rows"])), (4, 3, 1))
        self.assertEqual(d["rows"][0]["customer"], "C2")
        d = b2bcore.diff(self.old, self.new, "2026-06-15", customers="C1", limit=0)
        self.assertEqual((d["changed"], d["rows"]), (3, []))

    def test_errors(self):
        with self.assertRaises(b2bcore.NotFound):
            b2bcore.diff(self.old, self.new, "2026-06-15", customers=["NOBODY"])
        with self.assertRaises(b2bcore.InvalidValue):
            b2bcore.diff(self.old, self.new, "June")
        with self.assertRaises(TypeError):
            b2bcore.diff(self.old, "book", "2026-06-15")


if __name__ == "__main__":
    unittest.main()
