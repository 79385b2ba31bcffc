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
import os as _os
import pickle as _pickle
import threading as _threading
import weakref as _weakref
from array import array as _array
from decimal import Decimal

from . import _b2bcore
from ._money import to_text as _to_text, encode_document as _encode_document

__all__ = [
    "Book", "BookBuilder", "PriceResult", "Step", "Candidate", "Hint",
    "Error", "NotFound", "InvalidValue", "Overflow", "CurrencyMismatch",
    "BookError", "RequestError", "FingerprintMismatch", "version", "transition", "lint",
    "diff", "PROBLEMS",
    "__version__",
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
    problem of the request; ``document`` is the whole error document;
    ``text`` its JSON text as the library wrote it (None when the error
    came without one).
    """

    def __init__(self, document, text=None):
        self.document = document
        self.text = text
        self.errors = document.get("errors", [])
        first = self.errors[0] if self.errors else {}
        super().__init__("%d problem(s); first: %s at %s: %s" % (
            len(self.errors), first.get("code"), first.get("path"), first.get("message")))


class FingerprintMismatch(Error, ValueError):
    """A pickled :class:`Book` names a snapshot file whose book is no longer
    the one that was pickled (the file was replaced since): ``path``, the
    ``expected`` fingerprint (the pickled one) and the file's ``found``."""

    def __init__(self, path, expected, found):
        self.path = path
        self.expected = expected
        self.found = found
        super().__init__(
            "%s: the snapshot holds the book %s, but the pickled Book was %s (the file "
            "was replaced after the Book was pickled; pickle it again from the new book)"
            % (path, found, expected))


# Books opened from (or written to) a snapshot in this process, by
# fingerprint, while something else holds them: unpickling the same
# (path, fingerprint) again gives the same Book instead of a second mapping.
_books_by_fingerprint = _weakref.WeakValueDictionary()
# Snapshot files this process has opened (what the tests check: a worker
# opens its book once, however many partitions it prices).
_stats = {"snapshot_opens": 0}
_books_lock = _threading.RLock()


def _remember(book):
    with _books_lock:
        _books_by_fingerprint.setdefault(book.fingerprint, book)


def _unpickle_book(path, fingerprint):
    """A pickled Book: the Book of this fingerprint when this process has
    one open, else the snapshot ``path`` opened and checked against it."""
    with _books_lock:
        book = _books_by_fingerprint.get(fingerprint)
        if book is None:
            book = Book._open_snapshot(path)
            if book.fingerprint != fingerprint:
                raise FingerprintMismatch(path, fingerprint, book.fingerprint)
            _books_by_fingerprint[fingerprint] = book
    return book


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


def _as_of_text(as_of):
    return None if as_of is None else _to_text(as_of, "as_of", money=False)


def lint(path, as_of=None):
    """The findings of SPEC §12 on the book directory ``path``, as the
    document ``{"fingerprint", "as_of", "findings": [{"code", "severity",
    "file", "line", "message", "related"?}]}`` (a dict). A book that does
    not load is reported too: its problems are ``LOAD_ERROR`` findings and
    the fingerprint is None. ``as_of`` adds ``EXPIRED`` findings. Raises
    :class:`Error` when ``path`` cannot be read at all."""
    _errors, text = _b2bcore.lint_json(path, _as_of_text(as_of))
    return _json.loads(text)


def diff(old, new, as_of, customers=None, limit=1000):
    """What the book ``new`` does to prices against ``old`` (SPEC §13).

    Every customer of either book (or ``customers``) × every product of
    either book × the probe quantities is priced alone in both books at
    ``as_of``. Returns the diff document as a dict: ``old``/``new``
    (fingerprints), ``probes``, ``changed``, ``raised``, ``lowered``,
    ``now_unpriced``, ``now_priced`` (ints), ``max_increase_percent``,
    ``max_decrease_percent`` (str or None), ``by_category`` and ``rows``
    (the first ``limit``; prices and percentages as decimal strings, or an
    error code for a side that is not priced).
    """
    if not isinstance(old, Book) or not isinstance(new, Book):
        raise TypeError("diff(): old and new must be Book")
    if customers is not None:
        customers = [customers] if isinstance(customers, str) else list(customers)
    return _json.loads(_b2bcore.diff(old._c, new._c, as_of, customers, int(limit)))


def version():
    """The C library's version string, e.g. ``'0.1.0'``."""
    return _b2bcore.version()


#: The package's version: the C library's (one version, the project's).
__version__ = _b2bcore.version()


class Step:
    """One waterfall step: ``step``, ``source``, ``before``, ``after`` (Decimal)."""

    __slots__ = ("step", "source", "before", "after")

    def __init__(self, d):
        self.step = d["step"]
        self.source = d["source"]
        self.before = Decimal(d["before"])
        self.after = Decimal(d["after"])

    @classmethod
    def _of(cls, t):
        s = _new(cls)
        s.step, s.source, before, after = t
        s.before = Decimal(before)
        s.after = Decimal(after)
        return s

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

    @classmethod
    def _of(cls, t):
        c = _new(cls)
        c.step, c.source, c.outcome, c.reason = t
        return c

    def __repr__(self):
        return "Candidate(%r, %r, %r, %r)" % (self.step, self.source, self.outcome, self.reason)


class Hint:
    """What would change a price (SPEC §11): ``kind`` (``next_break``,
    ``volume_tier``, ``expires``, ``order_promotion``), ``message``, and
    ``fields``: the kind's fields as the document writes them, a dict of
    str in document order (``qty``/``unit_price``; ``agreement``/
    ``missing``/``percent``; ``at``/``source``; ``promotion``/``missing``).
    """

    __slots__ = ("kind", "message", "fields")

    def __init__(self, d):
        self.kind = d["kind"]
        self.message = d["message"]
        self.fields = {k: v for k, v in d.items() if k not in ("kind", "message")}

    @classmethod
    def _of(cls, t):
        h = _new(cls)
        h.kind, h.message, fields = t
        h.fields = dict(fields)
        return h

    def _dict(self):
        d = {"kind": self.kind, "message": self.message}
        d.update(self.fields)
        return d

    def __repr__(self):
        return "Hint(%r, %r)" % (self.kind, self.fields)


_new = object.__new__


def _plain_field(i, doc):
    return property(lambda self: self._f[i], doc=doc)


def _decimal_field(i, doc):
    return property(lambda self: Decimal(self._f[i]), doc=doc)


class PriceResult:
    """One line priced alone (SPEC §4 "Price").

    Money fields are :class:`decimal.Decimal`: ``list_price``,
    ``unit_price``, ``amount``, ``discount_percent``, ``qty`` and ``floor``
    (None when there is none). Also ``protected``, ``below_floor``,
    ``waterfall`` (list of :class:`Step`), ``candidates`` (list of
    :class:`Candidate`), ``hints`` (list of :class:`Hint`, SPEC §11),
    ``warnings`` (list of dicts), ``fingerprint``,
    and ``document``: the SPEC JSON document as a dict of str.

    The C layer reads the result through the library's accessors into a
    tuple of the document's values (money as its exact text); each
    attribute is made from it when read, so that pricing a line costs no
    object the caller does not look at.
    """

    # _f: the document's values in its order (_b2bcore.Book.price); the
    # other slots: lists made once, on first reading
    __slots__ = ("_f", "_document", "_waterfall", "_candidates", "_warnings", "_hints")

    def __init__(self, doc):
        """A result from a price document (a dict as ``document`` gives)."""
        self._f = (doc["customer"], doc["sku"], doc["qty"], doc["currency"], doc["as_of"],
                   doc["channel"], doc["list_price"], doc["unit_price"], doc["amount"],
                   doc["discount_percent"], doc["protected"], doc["below_floor"],
                   doc.get("floor"),
                   tuple((d["step"], d["source"], d["before"], d["after"])
                         for d in doc.get("waterfall", [])),
                   tuple((d["step"], d["source"], d["outcome"], d.get("reason"))
                         for d in doc.get("candidates", [])),
                   doc["fingerprint"], (),
                   tuple((d["kind"], d["message"],
                          tuple((k, v) for k, v in d.items() if k not in ("kind", "message")))
                         for d in doc.get("hints", [])))
        self._document = doc
        self._waterfall = self._candidates = self._hints = None
        self._warnings = doc.get("warnings", [])

    @classmethod
    def _of(cls, fields):
        r = _new(cls)
        r._f = fields
        r._document = r._waterfall = r._candidates = r._warnings = r._hints = None
        return r

    customer = _plain_field(0, "The customer id.")
    sku = _plain_field(1, "The sku.")
    qty = _decimal_field(2, "The quantity (Decimal, at the scale it was written with).")
    currency = _plain_field(3, "The document currency.")
    as_of = _plain_field(4, "The as-of date or instant, as text.")
    channel = _plain_field(5, "The channel, or None.")
    list_price = _decimal_field(6, "List price in the document currency (Decimal).")
    unit_price = _decimal_field(7, "Net unit price (Decimal).")
    amount = _decimal_field(8, "unit_price × qty at the currency's minor units (Decimal).")
    discount_percent = _decimal_field(9, "Discount from the list price, in percent (Decimal).")
    protected = _plain_field(10, "True when the price came from a contract.")
    below_floor = _plain_field(11, "True when the unit price is below the floor.")
    fingerprint = _plain_field(15, "The book's fingerprint.")

    @property
    def floor(self):
        """The floor (Decimal), or None when there is none."""
        f = self._f[12]
        return None if f is None else Decimal(f)

    @property
    def waterfall(self):
        """The steps from the list price to the unit price (list of :class:`Step`)."""
        w = self._waterfall
        if w is None:
            w = self._waterfall = [Step._of(t) for t in self._f[13]]
        return w

    @property
    def candidates(self):
        """Every candidate considered (list of :class:`Candidate`)."""
        c = self._candidates
        if c is None:
            c = self._candidates = [Candidate._of(t) for t in self._f[14]]
        return c

    @property
    def hints(self):
        """What would change this price (list of :class:`Hint`, SPEC §11)."""
        h = self._hints
        if h is None:
            h = self._hints = [Hint._of(t) for t in self._f[17]]
        return h

    @property
    def warnings(self):
        """Warnings as dicts ``{"code", "message"}`` (the document's list)."""
        w = self._warnings
        if w is None:
            w = self._warnings = [{"code": c, "message": m} for c, m in self._f[16]]
        return w

    @property
    def document(self):
        """The SPEC price document as a dict of str, keys in its order."""
        d = self._document
        if d is None:
            f = self._f
            d = self._document = {
                "customer": f[0], "sku": f[1], "qty": f[2], "currency": f[3], "as_of": f[4],
                "channel": f[5], "list_price": f[6], "unit_price": f[7], "amount": f[8],
                "discount_percent": f[9], "protected": f[10], "below_floor": f[11],
                "floor": f[12],
                "waterfall": [{"step": a, "source": b, "before": c, "after": e}
                              for a, b, c, e in f[13]],
                "candidates": [{"step": a, "source": b, "outcome": c, "reason": e}
                               for a, b, c, e in f[14]],
                "hints": [h._dict() for h in self.hints],
                "fingerprint": f[15], "warnings": self.warnings}
        return d

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

    # _snapshot: the absolute path of the snapshot file the book was opened
    # from or last written to (None: none); __weakref__: the unpickling cache
    __slots__ = ("_c", "_snapshot", "__weakref__")

    def __init__(self, _c, _snapshot=None):
        if not isinstance(_c, _b2bcore.Book):
            raise TypeError("use Book.load(path), Book.open(path) or BookBuilder().finish()")
        self._c = _c
        self._snapshot = _snapshot

    @classmethod
    def load(cls, path):
        """Load the book directory ``path``.

        Raises :class:`BookError` (``.problems``: every problem as
        ``(file, line, column, severity, message)``) when the book has
        errors, :class:`Error` when it cannot be read.
        """
        return cls(_b2bcore.Book.load(path))

    @classmethod
    def open(cls, path, verify=True):
        """Open ``path``: a snapshot file (SPEC §14; told by its first
        bytes) or a book directory (as :meth:`load`).

        A snapshot is mapped read-only, so every process that opens the
        same file shares its pages; its header, every offset and index are
        checked before use, and the whole-file checksum too unless
        ``verify`` is false (for a file the host has verified itself).
        Raises :class:`Error` (``status`` B2B_EBOOK) for a file that is
        not a snapshot, is truncated or corrupted, or has another format
        version or byte order, :class:`BookError` for a directory whose
        book has errors.
        """
        if _b2bcore.probe_snapshot(path):
            return cls._open_snapshot(path, verify)
        if _os.path.isdir(path):
            return cls.load(path)
        raise Error("%s: neither a book directory nor a snapshot file" % _os.fsdecode(path))

    @classmethod
    def _open_snapshot(cls, path, verify=True):
        _stats["snapshot_opens"] += 1
        book = cls(_b2bcore.Book.open_snapshot(path, verify),
                   _os.path.abspath(_os.fsdecode(path)))
        _remember(book)
        return book

    def write_snapshot(self, path):
        """Write the book to the snapshot file ``path`` (replaced
        atomically: written aside, then renamed). Afterwards
        :attr:`snapshot_path` is ``path`` and the book can be pickled."""
        self._c.write_snapshot(path)
        self._snapshot = _os.path.abspath(_os.fsdecode(path))
        _remember(self)

    @property
    def snapshot_path(self):
        """The absolute path of the snapshot file this book was opened from
        or last written to; None for a book loaded from CSV or built, until
        :meth:`write_snapshot`."""
        return self._snapshot

    @property
    def unit_price_decimals(self):
        """Decimals of the scaled unit prices of ``price_many(scaled=True)``:
        a price is the integer ÷ 10**unit_price_decimals."""
        return self._c.unit_price_decimals

    def __reduce__(self):
        # A Book pickles as a reference to its snapshot, never as its
        # content: the receiving process maps the same file.
        if self._snapshot is None:
            raise _pickle.PicklingError(
                "cannot pickle a b2bcore.Book that has no snapshot: call "
                "book.write_snapshot(path) first (a Book pickles as a reference to its "
                "snapshot file and fingerprint, which the receiving process opens)")
        return (_unpickle_book, (self._snapshot, self.fingerprint))

    def __copy__(self):
        return self   # immutable

    def __deepcopy__(self, memo):
        return self

    def __dask_tokenize__(self):
        return ("b2bcore.Book", self.fingerprint)

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
        # str arguments (the usual case) go through as they are
        if customer.__class__ is not str:
            customer = _to_text(customer, "customer", money=False)
        if sku.__class__ is not str:
            sku = _to_text(sku, "sku", money=False)
        if qty.__class__ is not str:
            qty = _to_text(qty, "qty")
        if as_of.__class__ is not str:
            as_of = _to_text(as_of, "as_of", money=False)
        if currency is not None and currency.__class__ is not str:
            currency = _to_text(currency, "currency", money=False)
        if channel is not None and channel.__class__ is not str:
            channel = _to_text(channel, "channel", money=False)
        if codes.__class__ is not tuple or codes:
            if isinstance(codes, str):
                raise TypeError("codes must be a sequence of str, not a str")
            codes = [_to_text(c, "codes[%d]" % i, money=False) for i, c in enumerate(codes)]
        status, fields = self._c.price(customer, sku, qty, as_of, currency, channel, codes)
        if status:
            raise RequestError({"errors": [{"code": c, "message": m, "path": p}
                                           for c, m, p in fields]})
        return PriceResult._of(fields)

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
            raise RequestError(_json.loads(out), out)
        return out

    def price_json(self, customer, sku, qty, as_of, currency=None, channel=None, codes=()):
        """Price one line; returns the JSON text of the price document,
        byte for byte what ``b2b price`` writes for the same options.

        Every argument is str or None, as the command line has it: None
        leaves the field unset, and a missing ``customer``, ``sku``,
        ``qty`` or ``as_of`` is a ``MALFORMED`` problem of the
        :class:`RequestError` raised when the line cannot be priced (its
        ``text`` is the error document)."""
        if isinstance(codes, str):
            raise TypeError("codes must be a sequence of str, not a str")
        status, out = self._c.price_json(customer, sku, qty, as_of, currency, channel,
                                         list(codes))
        if status != 0:
            raise RequestError(_json.loads(out), out)
        return out

    def validate_json(self, text):
        """Validate an order given as JSON text (str or bytes); returns
        ``(valid, text)`` with the JSON text of the validation document,
        byte for byte what ``b2b validate`` writes. Only text that is not
        JSON raises (:class:`InvalidValue`, with ``line`` and ``column``)."""
        return self._c.validate_json(text)

    def validate(self, order):
        """Validate an order (a dict shaped as SPEC §4 "Order"; SPEC §7).

        Returns the validation document as a dict: ``{"valid", "total",
        "violations": [...]}``. A broken order is a result, not an
        exception; only text that is not JSON raises :class:`InvalidValue`.
        """
        return self._c.validate(_encode_document(order))

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

    def lint(self, as_of=None):
        """The findings of SPEC §12 on this book (the load findings aside:
        they were the loader's), as the document ``{"fingerprint",
        "as_of", "findings": [...]}`` (a dict), the same as :func:`lint` on
        its directory gives when the book loads. ``as_of`` adds ``EXPIRED``
        findings."""
        _errors, text = self._c.lint_json(_as_of_text(as_of))
        return _json.loads(text)

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
