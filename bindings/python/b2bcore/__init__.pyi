# Type stubs for b2bcore (libb2bcore's Python bindings).
from array import array
from decimal import Decimal
from os import PathLike
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

Money = Union[Decimal, int, str]
Document = Dict[str, Any]

PROBLEMS: Dict[int, str]

class Error(Exception):
    status: int
    file: str
    line: int
    column: int
    path: str

class NotFound(Error, LookupError): ...
class InvalidValue(Error, ValueError): ...
class Overflow(Error, ArithmeticError): ...
class CurrencyMismatch(Error, ValueError): ...

class BookError(Error, ValueError):
    problems: List[Tuple[str, int, int, str, str]]

class RequestError(Error, ValueError):
    document: Document
    errors: List[Dict[str, str]]
    def __init__(self, document: Document) -> None: ...

class Step:
    step: str
    source: str
    before: Decimal
    after: Decimal

class Candidate:
    step: str
    source: str
    outcome: str
    reason: Optional[str]

class PriceResult:
    document: Document
    customer: str
    sku: str
    qty: Decimal
    currency: str
    as_of: str
    channel: Optional[str]
    list_price: Decimal
    unit_price: Decimal
    amount: Decimal
    discount_percent: Decimal
    protected: bool
    below_floor: bool
    floor: Optional[Decimal]
    waterfall: List[Step]
    candidates: List[Candidate]
    warnings: List[Dict[str, Any]]
    fingerprint: str

class Book:
    @classmethod
    def load(cls, path: Union[str, bytes, PathLike]) -> "Book": ...
    @property
    def fingerprint(self) -> str: ...
    @property
    def base_currency(self) -> str: ...
    @property
    def counts(self) -> Dict[str, int]: ...
    @property
    def memory(self) -> int: ...
    def price(self, customer: str, sku: str, qty: Money, as_of: str,
              currency: Optional[str] = ..., channel: Optional[str] = ...,
              codes: Sequence[str] = ...) -> PriceResult: ...
    def quote(self, request: Mapping[str, Any]) -> Document: ...
    def quote_json(self, text: Union[str, bytes]) -> str: ...
    def validate(self, order: Mapping[str, Any]) -> Document: ...
    def reprice(self, quote: Mapping[str, Any],
                as_of: Optional[str] = ...) -> Tuple[Document, Document]: ...
    def find_customers(self, ids: Iterable[str]) -> array: ...
    def find_products(self, skus: Iterable[str]) -> array: ...
    def price_many(self, customers: Union[Sequence[str], array, memoryview],
                   skus: Union[Sequence[str], array, memoryview],
                   qtys: Union[Sequence[Money], array, memoryview], as_of: str,
                   currency: Optional[str] = ..., scaled: bool = ...) -> Any: ...

class BookBuilder:
    def __init__(self) -> None: ...
    def begin_table(self, table: str, columns: Sequence[str],
                    source: Optional[str] = ...) -> None: ...
    def add_row(self, cells: Sequence[Union[str, Decimal, int, None]], line: int = ...) -> None: ...
    def finish(self) -> Book: ...

def transition(quote: Mapping[str, Any], event: str, as_of: Optional[str] = ...) -> Document: ...
def version() -> str: ...
