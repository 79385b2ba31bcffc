"""b2bcore on DataFrames: batch repricing of pandas and Dask DataFrames.

``price_frame(frame, book, as_of)`` adds the columns ``unit_price`` and
``problem`` to a frame of ``customer``, ``sku`` and ``qty`` lines. On a
Dask DataFrame it runs per partition, wherever the scheduler puts it
(threads, processes, a ``distributed`` cluster): the :class:`b2bcore.Book`
travels to the workers as a reference to its snapshot file (write one with
``book.write_snapshot(path)``, or open the book with ``Book.open`` from
one), each worker process opens that file once, keeps it while the book
is in use, and its threads share it.

pandas and dask are imported when a function needs them: ``import
b2bcore`` and ``import b2bcore.dask`` need only the standard library.
"""

import threading as _threading

import b2bcore as _b2b
from b2bcore import _b2bcore

__all__ = ["price_frame", "PRICE_DECIMALS_ATTR"]

#: ``frame.attrs`` key (pandas) holding the scale of ``unit_price`` when
#: ``scaled=True``: the price is the integer ÷ 10**scale.
PRICE_DECIMALS_ATTR = "unit_price_decimals"

# The books this process priced with, by fingerprint: held strongly, so
# that the book a worker unpickled for one partition is still open for the
# next one (the unpickling cache of b2bcore is weak). A few only: a worker
# that moves on to another book releases the oldest.
_KEEP = 4
_books = {}
_books_lock = _threading.Lock()


def _process_book(book):
    """This process's Book for ``book``'s fingerprint (``book`` the first time)."""
    fp = book.fingerprint
    with _books_lock:
        b = _books.get(fp)
        if b is None:
            while len(_books) >= _KEEP:
                del _books[next(iter(_books))]
            b = _books[fp] = book
    return b


def process_books():
    """{fingerprint: snapshot path or None} of the books this process keeps
    open for :func:`price_frame` (what a worker holds)."""
    with _books_lock:
        return {fp: b.snapshot_path for fp, b in _books.items()}


def _names():
    names = [""] * 256
    for code, name in _b2b.PROBLEMS.items():
        if code:
            names[code] = name
    return names


_PROBLEM_NAMES = _names()


def _keys(column, what):
    """A column of ids as a list of str (a missing cell: "", an unknown key)."""
    import pandas as pd
    if column.dtype.kind == "O" or str(column.dtype) in ("string", "str"):
        return [v if isinstance(v, str) else ("" if pd.isna(v) else str(v))
                for v in column.tolist()]
    if column.dtype.kind in "iu":
        return [str(v) for v in column.tolist()]
    raise TypeError("%s: expected a column of str, got dtype %s" % (what, column.dtype))


def _quantities(column):
    """The qty column as what price_many takes: an int64 buffer for whole
    quantities, else a list of exact decimal text."""
    import numpy as np
    import pandas as pd
    kind = column.dtype.kind
    if kind in "iu" and not column.hasnans:
        return np.ascontiguousarray(column.to_numpy(), dtype=np.int64)
    if kind == "f":
        raise TypeError("qty: a float column cannot hold quantities exactly; read the "
                        "column as str (e.g. dtype={'qty': str}) or as integers")
    out = []
    for i, v in enumerate(column.tolist()):
        if v.__class__ is str or v.__class__ is int:
            out.append(v)
        elif pd.isna(v):
            out.append("0")            # a missing quantity: QTY_NOT_POSITIVE
        elif isinstance(v, np.integer):
            out.append(int(v))
        else:
            out.append(_b2b._to_text(v, "qty[%d]" % i))
    return out


def _price_pandas(df, book, as_of, currency, scaled):
    import numpy as np
    import pandas as pd

    for col in ("customer", "sku", "qty"):
        if col not in df.columns:
            raise KeyError("price_frame: the frame has no %r column (it needs customer, "
                           "sku and qty)" % col)
    try:
        # the usual frame: str ids, and quantities as int64 or str, which
        # the C layer takes as they are
        q = df["qty"]
        units, problems, decimals = book._c.price_many(
            df["customer"].tolist(), df["sku"].tolist(),
            q.tolist() if q.dtype.kind == "O" else _quantities(q), as_of, currency)
    except TypeError:
        # missing cells, Decimal quantities, other dtypes: made into text
        units, problems, decimals = book._c.price_many(
            _keys(df["customer"], "customer"), _keys(df["sku"], "sku"),
            _quantities(df["qty"]), as_of, currency)
    p = np.frombuffer(problems, dtype=np.uint8)
    if scaled:
        u = np.frombuffer(units, dtype=np.int64)
        price = pd.array(u, dtype="Int64")
        price[p != 0] = pd.NA
    else:
        price = _b2bcore.format_units(units, problems, decimals)
    out = df.assign(unit_price=pd.Series(price, index=df.index,
                                         dtype="Int64" if scaled else object),
                    problem=pd.Series(np.array(_PROBLEM_NAMES, dtype=object)[p],
                                      index=df.index, dtype=object))
    if scaled:
        out.attrs[PRICE_DECIMALS_ATTR] = decimals
    return out


def _price_partition(df, book, as_of, currency, scaled):
    # one Book per fingerprint in this process, whichever unpickled copy came
    return _price_pandas(df, _process_book(book), as_of, currency, scaled)


def price_frame(frame, book, as_of, currency=None, scaled=False):
    """Price every line of ``frame`` against ``book`` at ``as_of``.

    ``frame``: a pandas or Dask DataFrame with columns ``customer``,
    ``sku`` (str) and ``qty`` (integers, or exact decimals as str or
    Decimal; a float column is refused). Returns the same kind of frame
    with two more columns, in the same order as the lines:

    - ``unit_price``: the net unit price as decimal text with exactly
      ``book.unit_price_decimals`` fractional digits (``"12.3400"``), or
      with ``scaled=True`` an integer (pandas ``Int64``) of the price ×
      10**``book.unit_price_decimals`` (also in ``frame.attrs[
      "unit_price_decimals"]`` of a pandas result); empty (``""`` / NA)
      for a line that was not priced;
    - ``problem``: ``""`` for a priced line, else its code
      (``UNKNOWN_CUSTOMER``, ``UNKNOWN_SKU``, ``QTY_NOT_POSITIVE``,
      ``NO_FX_RATE``, ``NEGATIVE_PRICE``, ``OVERFLOW``: see
      ``b2bcore.PROBLEMS``).

    ``currency``: price in this currency instead of each customer's. The
    lines are priced by the batch path (``Book.price_many``: no waterfall,
    each customer's channel, no codes), the prices ``Book.price`` gives.

    A Dask frame is priced lazily, partition by partition; to run on
    worker processes or a ``distributed`` cluster the book must have a
    snapshot (``Book.open(snapshot)`` or ``book.write_snapshot(path)``),
    because a Book pickles as a reference to that file.
    """
    if not isinstance(book, _b2b.Book):
        raise TypeError("price_frame: book must be a b2bcore.Book, not %s" % type(book).__name__)
    as_of = _b2b._to_text(as_of, "as_of", money=False)
    if currency is not None:
        currency = _b2b._to_text(currency, "currency", money=False)
    if scaled not in (False, True):
        raise TypeError("price_frame: scaled must be True or False")
    # check as_of and currency here, not in the first partition
    book._c.price_many([], [], [], as_of, currency)
    if hasattr(frame, "map_partitions") and hasattr(frame, "__dask_graph__"):
        missing = [c for c in ("customer", "sku", "qty") if c not in frame.columns]
        if missing:
            raise KeyError("price_frame: the frame has no %s column(s) (it needs customer, "
                           "sku and qty)" % ", ".join(repr(c) for c in missing))
        meta = _price_pandas(frame._meta, book, as_of, currency, scaled)
        return frame.map_partitions(_price_partition, book, as_of, currency, scaled,
                                    meta=meta)
    if hasattr(frame, "columns") and hasattr(frame, "index"):
        return _price_pandas(frame, book, as_of, currency, scaled)
    raise TypeError("price_frame: expected a pandas or Dask DataFrame, got %s"
                    % type(frame).__name__)
