"""Exact conversions between Python values and the decimal text the C
library reads. Standard library only; never through float."""

import json as _json
from decimal import Decimal

_FLOAT_MSG = ("%s: a float cannot hold money or quantities exactly "
              "(e.g. 0.1 is 0.1000000000000000055511151231257827...); "
              "pass decimal.Decimal or str")


def to_text(value, path, money=True, cell=False):
    """The text for one scalar: str as is; Decimal in plain notation;
    int in decimal; float and bool refused."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        raise TypeError("%s: expected str%s, got bool" % (path, " or Decimal" if money else ""))
    if isinstance(value, float):
        raise TypeError(_FLOAT_MSG % path)
    if (money or cell) and isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError("%s: %s is not a finite decimal" % (path, value))
        return format(value, "f")
    if (money or cell) and isinstance(value, int):
        return str(value)
    if cell and value is None:
        return ""
    raise TypeError("%s: expected str%s, got %s" % (
        path, " or Decimal" if money else "", type(value).__name__))


def _plain(obj, path):
    """A copy of obj where every Decimal became its exact str and every
    float raised TypeError (the JSON document keeps money as strings)."""
    if isinstance(obj, float):
        raise TypeError(_FLOAT_MSG % path)
    if isinstance(obj, Decimal):
        return to_text(obj, path)
    if isinstance(obj, dict):
        out = {}
        for k, v in obj.items():
            if not isinstance(k, str):
                raise TypeError("%s: keys must be str, got %s" % (path, type(k).__name__))
            out[k] = _plain(v, k if path == "$" else "%s.%s" % (path, k))
        return out
    if isinstance(obj, (list, tuple)):
        return [_plain(v, "%s[%d]" % (path, i)) for i, v in enumerate(obj)]
    return obj


def encode_document(obj):
    """JSON text for a request or order dict (Decimal → str, float refused)."""
    if isinstance(obj, (str, bytes)):
        return obj
    return _json.dumps(_plain(obj, "$"), ensure_ascii=False)
