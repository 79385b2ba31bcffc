"""libb2bcore for Python: exact B2B pricing, quotes and order validation.

The engine is the C library; this package gives it a Pythonic face.
Money and quantities go in as :class:`decimal.Decimal` or ``str`` and come
out as :class:`decimal.Decimal` (or as the JSON strings of the SPEC
documents); a ``float`` is refused with :class:`TypeError`, because binary
floating point cannot hold prices exactly.

A :class:`Book` is immutable: share one between any number of threads.
Loading, pricing, quoting and validating release the GIL.

Example::

    import b2bcore
    book = b2bcore.Book.load("examples/data/book")
    r = book.price("C-KRONE", "NUT-M10-934", "150", "2026-06-15")
    print(r.unit_price, [s.step for s in r.waterfall])   # 6.6867 [...]
"""

import json as _json
from array import array as _array
from decimal import Decimal

from . import _b2bcore
from ._money import to_text as _to_text, encode_document as _encode_document

__all__ = [
    "Book", "BookBuilder", "PriceResult", "Step", "Candidate",
    "Error", "NotFound", "InvalidValue", "Overflow", "CurrencyMismatch",
    "BookError", "RequestError", "version", "transition", "PROBLEMS",
]

Error = _b2bcore.Error
NotFound = _b2bcore.NotFound
InvalidValue = _b2bcore.InvalidValue
Overflow = _b2bcore.Overflow
CurrencyMismatch = _b2bcore.CurrencyMismatch
BookError = _b2bcore.BookError


class RequestError(Error, ValueError):
    """The request cannot be priced (SPEC §4 "Errors").

    ``errors`` is the list of ``{"code", "message", "path"}`` dicts, every
    problem of the request; ``document`` is the whole error document.
    """

    def __init__(self, document):
        self.document = document
        self.errors = document.get("errors", [])
        first = self.errors[0] if self.errors else {}
        super().__init__("%d problem(s); first: %s at %s: %s" % (
            len(self.errors), first.get("code"), first.get("path"), first.get("message")))


#: Per-line problem codes of :meth:`Book.price_many` with ``scaled=True``.
PROBLEMS = {0: "OK", 1: "UNKNOWN_CUSTOMER", 2: "UNKNOWN_SKU", 3: "QTY_NOT_POSITIVE",
            4: "NO_FX_RATE", 5: "NEGATIVE_PRICE", 6: "OVERFLOW"}


def _is_buffer(obj):
    try:
        memoryview(obj)
    except TypeError:
        return False
    return not isinstance(obj, (bytes, bytearray))


def transition(quote, event, as_of=None):
    """Apply a lifecycle event to a quote document (dict) and return the new
    document (SPEC §6): ``submit``, ``approve``, ``reject``, ``send``,
    ``accept``, ``decline``, ``order``, ``expire``, ``cancel``. ``as_of``
    (default: the quote's) decides expiry. An illegal transition raises
    :class:`Error` naming the state and the event."""
    return _json.loads(_b2bcore.transition(
        _encode_document(quote), _to_text(event, "event", money=False),
        None if as_of is None else _to_text(as_of, "as_of", money=False)))


def version():
    """The C library's version string, e.g. ``'0.1.0'``."""
    return _b2bcore.version()


class Step:
    """One waterfall step: ``step``, ``source``, ``before``, ``after`` (Decimal)."""

    __slots__ = ("step", "source", "before", "after")

    def __init__(self, d):
        self.step = d["step"]
        self.source = d["source"]
        self.before = Decimal(d["before"])
        self.after = Decimal(d["after"])

    def __repr__(self):
        return "Step(%r, %r, %s -> %s)" % (self.step, self.source, self.before, self.after)


class Candidate:
    """A candidate considered: ``step``, ``source``, ``outcome``, ``reason``."""

    __slots__ = ("step", "source", "outcome", "reason")

    def __init__(self, d):
        self.step = d["step"]
        self.source = d["source"]
        self.outcome = d["outcome"]
        self.reason = d.get("reason")

    def __repr__(self):
        return "Candidate(%r, %r, %r, %r)" % (self.step, self.source, self.outcome, self.reason)


def _dec(v):
    return None if v is None else Decimal(v)


class PriceResult:
    """One line priced alone (SPEC §4 "Price").

    Money fields are :class:`decimal.Decimal`: ``list_price``,
    ``unit_price``, ``amount``, ``discount_percent``, ``qty`` and ``floor``
    (None when there is none). Also ``protected``, ``below_floor``,
    ``waterfall`` (list of :class:`Step`), ``candidates`` (list of
    :class:`Candidate`), ``warnings`` (list of dicts), ``fingerprint``,
    and ``document``: the SPEC JSON document as a dict of str.
    """

    __slots__ = ("document", "customer", "sku", "qty", "currency", "as_of", "channel",
                 "list_price", "unit_price", "amount", "discount_percent", "protected",
                 "below_floor", "floor", "waterfall", "candidates", "warnings", "fingerprint")

    def __init__(self, doc):
        self.document = doc
        self.customer = doc["customer"]
        self.sku = doc["sku"]
        self.qty = Decimal(doc["qty"])
        self.currency = doc["currency"]
        self.as_of = doc["as_of"]
        self.channel = doc["channel"]
        self.list_price = Decimal(doc["list_price"])
        self.unit_price = Decimal(doc["unit_price"])
        self.amount = Decimal(doc["amount"])
        self.discount_percent = Decimal(doc["discount_percent"])
        self.protected = doc["protected"]
        self.below_floor = doc["below_floor"]
        self.floor = _dec(doc.get("floor"))
        self.waterfall = [Step(s) for s in doc.get("waterfall", [])]
        self.candidates = [Candidate(c) for c in doc.get("candidates", [])]
        self.warnings = doc.get("warnings", [])
        self.fingerprint = doc["fingerprint"]

    def __repr__(self):
        return "<PriceResult %s x %s for %s: %s %s>" % (
            self.sku, self.qty, self.customer, self.unit_price, self.currency)


def _load_doc(status, text):
    doc = _json.loads(text)
    if status != 0:
        raise RequestError(doc)
    return doc


class Book:
    """An immutable pricing book (SPEC §3). Thread-safe to share.

    Create one with :meth:`Book.load` or :class:`BookBuilder`.
    """

    __slots__ = ("_c",)

    def __init__(self, _c):
        if not isinstance(_c, _b2bcore.Book):
            raise TypeError("use Book.load(path) or BookBuilder().finish()")
        self._c = _c

    @classmethod
    def load(cls, path):
        """Load the book directory ``path``.

        Raises :class:`BookError` (``.problems``: every problem as
        ``(file, line, column, severity, message)``) when the book has
        errors, :class:`Error` when it cannot be read.
        """
        return cls(_b2bcore.Book.load(path))

    @property
    def fingerprint(self):
        """SHA-256 (hex) of the book's canonical content (SPEC §5.8)."""
        return self._c.fingerprint

    @property
    def base_currency(self):
        """The base currency, e.g. ``'EUR'``."""
        return self._c.base_currency

    @property
    def counts(self):
        """Rows per table: ``{'products': 60, ...}``."""
        return self._c.counts

    @property
    def memory(self):
        """Bytes the book holds."""
        return self._c.memory

    def price(self, customer, sku, qty, as_of, currency=None, channel=None, codes=()):
        """Price one line; returns a :class:`PriceResult`.

        ``qty`` is a Decimal, int or str (never a float); ``as_of`` is
        ``'YYYY-MM-DD'`` or ``'YYYY-MM-DDThh:mm:ssZ'``. Raises
        :class:`RequestError` listing every problem when the line cannot
        be priced (unknown customer or sku, quantity not positive, no FX
        rate, a negative price).
        """
        if isinstance(codes, str):
            raise TypeError("codes must be a sequence of str, not a str")
        status, text = self._c.price_json(
            _to_text(customer, "customer", money=False), _to_text(sku, "sku", money=False),
            _to_text(qty, "qty"), _to_text(as_of, "as_of", money=False),
            None if currency is None else _to_text(currency, "currency", money=False),
            None if channel is None else _to_text(channel, "channel", money=False),
            [_to_text(c, "codes[%d]" % i, money=False) for i, c in enumerate(codes)])
        return PriceResult(_load_doc(status, text))

    def quote(self, request):
        """Price a quote request (a dict shaped as SPEC §4 "Quote request").

        Returns the quote document as a dict (money as str, exactly as the
        C library writes it). Decimal values in the request are sent
        exactly; a float anywhere raises TypeError. Raises
        :class:`RequestError` when the request cannot be priced.
        """
        status, text = self._c.quote_json(_encode_document(request))
        return _load_doc(status, text)

    def quote_json(self, text):
        """Like :meth:`quote` on JSON text; returns the JSON text of the
        quote document (or raises :class:`RequestError`)."""
        status, out = self._c.quote_json(text)
        if status != 0:
            raise RequestError(_json.loads(out))
        return out

    def validate(self, order):
        """Validate an order (a dict shaped as SPEC §4 "Order"; SPEC §7).

        Returns the validation document as a dict: ``{"valid", "total",
        "violations": [...]}``. A broken order is a result, not an
        exception; only text that is not JSON raises :class:`InvalidValue`.
        """
        valid, text = self._c.validate_json(_encode_document(order))
        return _json.loads(text)

    def reprice(self, quote, as_of=None):
        """Reprice an open quote document (dict) against this book: returns
        ``(new_quote, changes)`` where ``new_quote`` has ``revision`` + 1
        and ``changes`` reports, line by line, old and new unit prices and
        why (SPEC §6). Raises :class:`RequestError` when the quote cannot
        be priced against this book, :class:`Error` when its state does
        not allow repricing."""
        status, qtext, ctext = self._c.reprice_json(
            _encode_document(quote), None if as_of is None else _to_text(as_of, "as_of", money=False))
        doc = _load_doc(status, qtext)
        return doc, _json.loads(ctext)

    def find_customers(self, ids):
        """Handles (``array('I')``) of customer ids for :meth:`price_many`;
        0xFFFFFFFF for an id that is not in the book."""
        return _array("I", self._c.find_handles(list(ids), False))

    def find_products(self, skus):
        """Handles (``array('I')``) of skus for :meth:`price_many`."""
        return _array("I", self._c.find_handles(list(skus), True))

    def price_many(self, customers, skus, qtys, as_of, currency=None, scaled=False):
        """Price many lines at once, without waterfall (the repricing path).

        ``customers`` and ``skus``: sequences of str, or ``array('I')``
        handles from :meth:`find_customers` / :meth:`find_products` (the
        fast path). ``qtys``: a sequence of Decimal, int or str, or any
        buffer of integers (whole quantities, e.g. ``array('q')``).

        Returns a list of :class:`decimal.Decimal` unit prices (None for a
        line that could not be priced). With ``scaled=True`` returns
        ``(prices, problems)``: ``prices`` an ``array('q')`` of unit prices
        × 10**unit_price_decimals and ``problems`` an ``array('B')`` of
        per-line codes (0 = priced; see ``PROBLEMS``).
        """
        if not _is_buffer(qtys):
            qtys = [q if isinstance(q, int) and not isinstance(q, bool)
                    else _to_text(q, "qtys[%d]" % i) for i, q in enumerate(qtys)]
        if not _is_buffer(customers):
            customers = list(customers)
        if not _is_buffer(skus):
            skus = list(skus)
        units, problems, decimals = self._c.price_many(
            customers, skus, qtys, _to_text(as_of, "as_of", money=False),
            None if currency is None else _to_text(currency, "currency", money=False))
        prices = _array("q", units)
        probs = _array("B", problems)
        if scaled:
            return prices, probs
        exp = -decimals
        return [None if p else Decimal(u).scaleb(exp) for u, p in zip(prices, probs)]

    def __repr__(self):
        return "<b2bcore.Book %s… %s>" % (self.fingerprint[:12], self.counts.get("products"))


class BookBuilder:
    """Build a book from rows (what a host's database gives), with the same
    checks as :meth:`Book.load`::

        b = BookBuilder()
        b.begin_table("products", ["sku", "list_price"])
        b.add_row(["A1", "10.00"])
        book = b.finish()
    """

    __slots__ = ("_c",)

    def __init__(self):
        self._c = _b2bcore.BookBuilder()

    def begin_table(self, table, columns, source=None):
        """Start rows of ``table`` (e.g. ``'products'``) with these columns."""
        self._c.begin_table(table, list(columns), source)

    def add_row(self, cells, line=0):
        """Add a row; each cell a str ('' = not set), or a Decimal/int for
        numbers (a float raises TypeError)."""
        self._c.add_row([_to_text(c, "cells[%d]" % i, cell=True) for i, c in enumerate(cells)],
                        line)

    def finish(self):
        """Check and freeze; returns a :class:`Book` or raises :class:`BookError`."""
        return Book(self._c.finish())
