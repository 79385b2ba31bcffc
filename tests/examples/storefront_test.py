"""The storefront example (examples/storefront/storefront.py): each endpoint
answers byte for byte what the b2b command writes for the same input, with
the status of its exit (0 -> 200, 1 -> 422, 2 -> 400); the server's own
errors (404, 405, 411, 413, 400); reloads by POST /reload and --watch.

Run: B2B_CLI=build/src/b2b PYTHONPATH=build/bindings/python python3 tests/examples/storefront_test.py
"""

import json
import os
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import storefront_run as sf  # noqa: E402

CLI = os.environ.get("B2B_CLI", os.path.join(sf.ROOT, "build", "src", "b2b"))
DATA = os.path.join(sf.EXAMPLES, "data")
TESTS_DATA = os.path.join(sf.ROOT, "tests", "data")
STATUS_OF_EXIT = {0: 200, 1: 422, 2: 400}
MAX_BODY = 16384


def cli(*args, stdin=None):
    p = subprocess.run([CLI] + list(args), input=stdin, capture_output=True, timeout=60)
    return p.returncode, p.stdout


def read(path):
    with open(path, "rb") as f:
        return f.read()


# /price bodies and the b2b price options they stand for
PRICE_CASES = [
    ({"customer": "C-KRONE", "sku": "NUT-M10-934", "qty": "150", "as_of": "2026-06-15"}, []),
    ('{"customer": "C-KRONE", "sku": "NUT-M10-934", "qty": 150, "as_of": "2026-06-15"}', []),
    ({"customer": "C-HELVETIA", "sku": "MSR-LASER-50", "qty": "1", "as_of": "2026-06-15"}, []),
    ({"customer": "C-HOBBY", "sku": "GLV-CUT-C-9", "qty": "24", "as_of": "2026-06-15",
      "channel": "web", "codes": ["SPRING", "NOPE"], "currency": None}, []),
    ({"customer": "C-NOBODY", "sku": "NOPE", "qty": "0", "as_of": "2026-06-15",
      "currency": "USD"}, []),
    ({}, []),
    ('{"customer": "C-KRONE", "sku": "NUT-M10-934", "qty": 1.5e2, "as_of": "2026-06-15"}',
     ["--qty", "1.5e2"]),
    ({"sku": "NUT-M10-934", "qty": "-3", "as_of": "2026-13-01"}, []),
]


def price_args(body):
    names = {"customer": "--customer", "sku": "--sku", "qty": "--qty", "as_of": "--as-of",
             "currency": "--currency", "channel": "--channel"}
    args = ["price", "--book", sf.BOOK]
    for k, v in body.items():
        if k == "codes":
            for c in v:
                args += ["--code", c]
        elif v is not None:
            args += [names[k], str(v)]
    return args


class TestStorefront(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls._tmp = tempfile.TemporaryDirectory()
        cls.book_a, cls.book_b, cls.link = sf.make_books(cls._tmp.name)
        cls._log = open(os.path.join(cls._tmp.name, "server.log"), "w")
        cls._server = sf.running(cls.link, "--max-body", str(MAX_BODY), "--watch", "0.1",
                                 log=cls._log)
        cls.port = cls._server.__enter__()

    @classmethod
    def tearDownClass(cls):
        cls._server.__exit__(None, None, None)
        cls._log.close()
        if os.environ.get("STOREFRONT_LOG"):
            with open(cls._log.name) as f:
                sys.stderr.write(f.read())
        cls._tmp.cleanup()

    def post(self, path, body, **kw):
        return sf.request(self.port, "POST", path, body, **kw)

    def same_as_cli(self, path, body, args):
        code, expected = cli(*args, stdin=body)
        status, headers, got = self.post(path, body)
        if code == 2:                     # cannot be read: the CLI says so on stderr
            self.assertEqual(status, 400)
            self.assertEqual(json.loads(got)["errors"][0]["code"], "UNREADABLE")
        else:
            self.assertEqual((status, got.decode()), (STATUS_OF_EXIT[code], expected.decode()))
        self.assertEqual(headers["Content-Type"], "application/json; charset=utf-8")
        self.assertEqual(int(headers["Content-Length"]), len(got))
        return status, got

    def test_quote_same_as_cli(self):
        files = [os.path.join(DATA, "quote_request.json"),
                 os.path.join(TESTS_DATA, "quote", "errors_request.json"),
                 os.path.join(TESTS_DATA, "quote", "broken_request.json"),
                 os.path.join(TESTS_DATA, "regressions", "quote-long-unknown-code.json")]
        for f in files:
            with self.subTest(request=os.path.basename(f)):
                self.same_as_cli("/quote", read(f), ["quote", "--book", sf.BOOK, "-"])
        status, got = self.same_as_cli("/quote", read(files[0]), ["quote", "--book", sf.BOOK, "-"])
        self.assertEqual((status, got), (200, read(os.path.join(DATA, "quote_response.json"))))

    def test_validate_same_as_cli(self):
        files = [os.path.join(DATA, "orders", "order_%s.json" % n)
                 for n in ("valid", "holds", "invalid")]
        files += [os.path.join(TESTS_DATA, "orders", "broken.json"),
                  os.path.join(TESTS_DATA, "regressions", "order-key-cut-in-utf8.json")]
        statuses = []
        for f in files:
            with self.subTest(order=os.path.basename(f)):
                statuses.append(self.same_as_cli("/validate", read(f),
                                                  ["validate", "--book", sf.BOOK, "-"])[0])
        self.assertEqual(statuses, [200, 200, 422, 400, 422])

    def test_price_same_as_cli(self):
        statuses = []
        for body, extra in PRICE_CASES:
            with self.subTest(body=body):
                text = body if isinstance(body, str) else json.dumps(body)
                args = price_args(json.loads(text) if not extra else
                                  {k: v for k, v in json.loads(text, parse_float=str).items()
                                   if k != "qty"}) + extra
                statuses.append(self.same_as_cli("/price", text.encode(), args)[0])
        self.assertEqual(statuses, [200, 200, 422, 200, 422, 422, 422, 422])
        status, _, got = self.post("/price", json.dumps(PRICE_CASES[0][0]))
        self.assertEqual(got, read(os.path.join(DATA, "price_response.json")))

    def test_price_body_shape(self):
        # every problem of the body's shape, ordered by path (hand-written)
        status, _, got = self.post("/price", b'{"sku": 5, "qty": {}, "codes": ["A", 1],'
                                             b' "customer": null, "zz": 1, "a b": 2}')
        self.assertEqual(status, 422)
        self.assertEqual([(e["path"], e["message"]) for e in json.loads(got)["errors"]], [
            ('$["a b"]', '$["a b"]: unknown field'),
            ("codes[1]", "codes[1]: expected a string, got number"),
            ("customer", "customer: expected a string, got null"),
            ("qty", "qty: expected a decimal (a string or a number), got object"),
            ("sku", "sku: expected a string, got number"),
            ("zz", "zz: unknown field")])
        status, _, got = self.post("/price", b'["C-KRONE"]')
        self.assertEqual((status, json.loads(got)["errors"][0]["message"]),
                         (422, "$: expected an object, got array"))
        for body, line, column in ((b'{"customer": ', 1, 14), (b'{\n "qty": NaN}', 2, 9)):
            status, _, got = self.post("/price", body)
            err = json.loads(got)["errors"][0]
            self.assertEqual((status, err["code"]), (400, "UNREADABLE"), body)
            if body.startswith(b'{"c'):
                self.assertEqual((err["line"], err["column"]), (line, column))
        status, _, got = self.post("/price", b'{"customer": "\xff"}')
        self.assertEqual((status, json.loads(got)["errors"][0]["code"]), (400, "UNREADABLE"))

    def test_server_errors(self):
        status, headers, got = sf.request(self.port, "GET", "/nowhere")
        self.assertEqual((status, json.loads(got)["errors"][0]["code"]), (404, "NOT_FOUND"))
        status, headers, got = sf.request(self.port, "GET", "/quote")
        self.assertEqual((status, headers["Allow"]), (405, "POST"))
        self.assertEqual(json.loads(got)["errors"][0]["code"], "METHOD_NOT_ALLOWED")
        status, headers, _ = sf.request(self.port, "POST", "/health", b"{}")
        self.assertEqual((status, headers["Allow"]), (405, "GET"))
        status, headers, got = self.post("/quote", b" " * (MAX_BODY + 1))
        self.assertEqual((status, headers["Connection"]), (413, "close"))
        self.assertEqual(json.loads(got)["errors"][0]["message"],
                         "the body has %d bytes, more than the %d accepted"
                         % (MAX_BODY + 1, MAX_BODY))
        # a body of exactly --max-body bytes is read (JSON with trailing spaces)
        body = read(os.path.join(DATA, "quote_request.json"))
        status, _, got = self.post("/quote", body + b" " * (MAX_BODY - len(body)))
        self.assertEqual((status, got), (200, read(os.path.join(DATA, "quote_response.json"))))

    def test_keep_alive(self):
        c = sf.http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            for path, body in (("/quote", read(os.path.join(DATA, "quote_request.json"))),
                               ("/nowhere", b"{}"), ("/quote", b"[1,"), ("/health", None)):
                status, _, _ = sf.request(self.port, "GET" if body is None else "POST", path,
                                          body, conn=c)
                self.assertIn(status, (200, 400, 404))
        finally:
            c.close()

    def test_z_reload(self):
        # runs last (name): it changes the published book
        health = json.loads(sf.request(self.port, "GET", "/health")[2])
        fp_a = health["fingerprint"]
        # a broken book is not published
        broken = os.path.join(self._tmp.name, "broken")
        os.mkdir(broken)
        with open(os.path.join(broken, "products.csv"), "w") as f:
            f.write("sku,list_price\nA1,not-a-price\n")
        sf.point(self.link, broken)
        status, _, got = self.post("/reload", b"")
        self.assertEqual((status, json.loads(got)["errors"][0]["code"]), (500, "BOOK_ERROR"))
        self.assertIn("products.csv", json.loads(got)["errors"][0]["message"])
        self.assertEqual(json.loads(sf.request(self.port, "GET", "/health")[2])["fingerprint"],
                         fp_a)
        status, _, got = self.post("/quote", read(os.path.join(DATA, "quote_request.json")))
        self.assertEqual((status, json.loads(got)["fingerprint"]), (200, fp_a))
        # book B by POST /reload: its answers are b2b's on book B
        sf.point(self.link, self.book_b)
        status, headers, got = self.post("/reload", b"")
        health = json.loads(got)
        self.assertEqual(status, 200)
        self.assertNotEqual(health["fingerprint"], fp_a)
        self.assertEqual(health["book"], os.path.realpath(self.book_b))
        self.assertEqual(headers["B2B-Book-Fingerprint"], health["fingerprint"])
        code, expected = cli(*price_args(PRICE_CASES[0][0]))
        self.assertEqual(code, 0)
        _, expected_b = cli(*(price_args(PRICE_CASES[0][0])[:2] + [self.book_b] +
                              price_args(PRICE_CASES[0][0])[3:]))
        self.assertNotEqual(expected, expected_b)
        got = self.post("/price", json.dumps(PRICE_CASES[0][0]))[2]
        self.assertEqual(got, expected_b)
        # back to A by --watch (the link changes): within a few seconds
        sf.point(self.link, self.book_a)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            health = json.loads(sf.request(self.port, "GET", "/health")[2])
            if health["fingerprint"] == fp_a:
                break
            time.sleep(0.05)
        self.assertEqual(health["fingerprint"], fp_a)
        self.assertEqual(self.post("/price", json.dumps(PRICE_CASES[0][0]))[2], expected)


if __name__ == "__main__":
    unittest.main()
