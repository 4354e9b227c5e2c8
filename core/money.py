"""Money and exchange rates (SPEC C6, T3): an amount always carries its currency, and an
amount in another currency reaches the company's currency only through a rate of the day.
No database.

The rules, stated once:
- `Money(amount, currency)`: a `Decimal` (never a float) and an ISO 4217 code. Adding,
  subtracting or comparing two currencies raises `CurrencyMismatch`; multiplying by a number
  keeps the currency; `Money * Money` is refused (a price times a price means nothing).
- Rounding: an amount is kept exact while it is worked out and rounded once, where it becomes
  a line of a breakdown (`Money.rounded`), half up, to the currency's minor unit (`places`):
  RWF, UGX and BIF have no decimals, USD, EUR, KES and TZS two (ISO 4217; other codes by
  the same standard through Babel's data). A breakdown's total is the sum of its rounded
  lines, so the lines always add up to the total shown.
- Rates: `Rates` is built from (day, from, to, rate) rows, read "1 `from` = rate `to`" on
  that day. The rate for a day is the one of the latest day on or before it, no older than
  `max_age_days` (default 7: a weekend and a week of public holidays, when no rate is
  published; the service passes the company's setting). The inverse row (to -> from) serves
  too, as 1 / rate, when it is the newer one. A currency converts to itself at exactly 1;
  any other missing or too old rate raises `RateNotFound`, naming the currency and the day:
  never a silent 1.0.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import get_currency_precision

from common.errors import DomainError
from common.i18n import N_

# minor units (decimals) of the currencies the company meets; any other code by ISO 4217
PLACES: dict[str, int] = {
    "RWF": 0,
    "UGX": 0,
    "BIF": 0,
    "USD": 2,
    "EUR": 2,
    "KES": 2,
    "TZS": 2,
    "CDF": 2,
    "SSP": 2,
    "ZAR": 2,
}
DEFAULT_MAX_AGE_DAYS = 7
_QUANTA: dict[str, Decimal] = {}
_CHECKED: set[str] = set()  # the codes already found well formed (a batch checks the same few)


class CurrencyMismatch(DomainError):
    """Two amounts in different currencies were added or compared."""

    def __init__(self, left: str, right: str) -> None:
        super().__init__(
            N_("An amount in {left} cannot be added to or compared with one in {right}: convert it first."),
            left=left,
            right=right,
        )


class InvalidCurrency(DomainError):
    def __init__(self, code: object) -> None:
        super().__init__(N_("Use a three-letter currency code such as RWF."), code=code)


class RateNotFound(DomainError):
    """No usable exchange rate from `currency` to `to` for `day`."""

    MISSING = N_("No exchange rate from {currency} to {to} on or before {day}. Enter the rate of that day.")
    TOO_OLD = N_(
        "The latest exchange rate from {currency} to {to} before {day} is of {latest}, older than {days} days. "
        "Enter the rate of that day."
    )

    def __init__(
        self, currency: str, to: str, day: dt.date, latest: dt.date | None = None, max_age_days: int = 0
    ) -> None:
        if latest is None:
            super().__init__(self.MISSING, currency=currency, to=to, day=day)
        else:
            super().__init__(self.TOO_OLD, currency=currency, to=to, day=day, latest=latest, days=max_age_days)
        self.currency, self.to, self.day, self.latest = currency, to, day, latest


class InvalidRate(DomainError):
    pass


def places(currency: str) -> int:
    """Decimals of the currency's minor unit: RWF 0, USD 2."""
    found = PLACES.get(currency)
    return found if found is not None else int(get_currency_precision(currency))


def quantum(currency: str) -> Decimal:
    found = _QUANTA.get(currency)
    if found is None:
        found = _QUANTA[currency] = Decimal(1).scaleb(-places(currency))
    return found


def round_amount(amount: Decimal, currency: str) -> Decimal:
    """An amount rounded half up to the currency's minor unit: the one rounding rule."""
    return amount.quantize(quantum(currency), rounding=ROUND_HALF_UP)


def check_currency(code: object) -> str:
    if isinstance(code, str) and code in _CHECKED:
        return code
    if not (isinstance(code, str) and len(code) == 3 and code.isascii() and code.isalpha() and code.isupper()):
        raise InvalidCurrency(code)
    _CHECKED.add(code)
    return code


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        if type(self.amount) is not Decimal:
            if isinstance(self.amount, bool) or not isinstance(self.amount, (int, Decimal)):
                raise TypeError(f"Money takes a Decimal or an int, not {type(self.amount).__name__}")
            object.__setattr__(self, "amount", Decimal(self.amount))
        if self.currency not in _CHECKED:
            check_currency(self.currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(Decimal(0), currency)

    def _same(self, other: Money) -> None:
        if self.currency != other.currency:
            raise CurrencyMismatch(self.currency, other.currency)

    def __add__(self, other: object) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __radd__(self, other: object) -> Money:
        if other == 0 and not isinstance(other, Money):  # sum() starts from 0
            return self
        return NotImplemented

    def __sub__(self, other: object) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __mul__(self, factor: object) -> Money:
        if isinstance(factor, bool) or not isinstance(factor, (int, Decimal)):
            return NotImplemented
        return Money(self.amount * factor, self.currency)

    __rmul__ = __mul__

    def __lt__(self, other: Money) -> bool:
        self._same(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._same(other)
        return self.amount <= other.amount

    def __gt__(self, other: Money) -> bool:
        self._same(other)
        return self.amount > other.amount

    def __ge__(self, other: Money) -> bool:
        self._same(other)
        return self.amount >= other.amount

    def rounded(self) -> Money:
        return Money(round_amount(self.amount, self.currency), self.currency)

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"


def total(amounts: Iterable[Money], currency: str) -> Money:
    """The sum of amounts that must all be in `currency` (zero when there are none)."""
    out = Money.zero(currency)
    for amount in amounts:
        out = out + amount
    return out


@dataclass(frozen=True, slots=True)
class RateRow:
    """1 `from_currency` = `rate` `to_currency` on `day` (as entered or imported)."""

    day: dt.date
    from_currency: str
    to_currency: str
    rate: Decimal


@dataclass(frozen=True, slots=True)
class Quote:
    """A rate found for a day: the rate and the day it was published for."""

    rate: Decimal
    day: dt.date


class Rates:
    """The exchange-rate table, indexed once: a lookup is a binary search per currency pair
    (and remembered per pair and day, since one screen or batch asks the same day often)."""

    def __init__(
        self, rows: Iterable[RateRow], company_currency: str, max_age_days: int = DEFAULT_MAX_AGE_DAYS
    ) -> None:
        self.company_currency = check_currency(company_currency)
        self.max_age_days = max_age_days
        series: dict[tuple[str, str], dict[dt.date, Decimal]] = {}
        for row in rows:
            check_currency(row.from_currency)
            check_currency(row.to_currency)
            if row.from_currency == row.to_currency:
                raise InvalidRate(N_("An exchange rate converts between two different currencies."))
            if type(row.rate) is not Decimal or not row.rate.is_finite() or row.rate <= 0:
                raise InvalidRate(
                    N_("The rate from {currency} to {to} on {day} must be more than zero."),
                    currency=row.from_currency,
                    to=row.to_currency,
                    day=row.day,
                )
            days = series.setdefault((row.from_currency, row.to_currency), {})
            if days.get(row.day, row.rate) != row.rate:
                raise InvalidRate(
                    N_("Two different rates from {currency} to {to} on {day}: keep one."),
                    currency=row.from_currency,
                    to=row.to_currency,
                    day=row.day,
                )
            days[row.day] = row.rate
        self._days: dict[tuple[str, str], list[dt.date]] = {}
        self._rates: dict[tuple[str, str], list[Decimal]] = {}
        for pair, by_day in series.items():
            ordered = sorted(by_day)
            self._days[pair] = ordered
            self._rates[pair] = [by_day[d] for d in ordered]
        self._memo: dict[tuple[str, str, dt.date], Quote] = {}

    def _latest(self, pair: tuple[str, str], day: dt.date) -> tuple[dt.date, Decimal] | None:
        days = self._days.get(pair)
        if not days:
            return None
        i = bisect.bisect_right(days, day)
        return (days[i - 1], self._rates[pair][i - 1]) if i else None

    def quote(self, currency: str, to: str, day: dt.date) -> Quote:
        """The rate from `currency` to `to` for `day`, and the day it is of."""
        if currency == to:
            return Quote(Decimal(1), day)
        key = (currency, to, day)
        found = self._memo.get(key)
        if found is not None:
            return found
        direct = self._latest((currency, to), day)
        inverse = self._latest((to, currency), day)
        if direct is not None and (inverse is None or direct[0] >= inverse[0]):
            found = Quote(direct[1], direct[0])
        elif inverse is not None:
            found = Quote(Decimal(1) / inverse[1], inverse[0])
        else:
            raise RateNotFound(currency, to, day)
        if (day - found.day).days > self.max_age_days:
            raise RateNotFound(currency, to, day, found.day, self.max_age_days)
        self._memo[key] = found
        return found

    def rate(self, currency: str, to: str, day: dt.date) -> Decimal:
        return self.quote(currency, to, day).rate

    def convert(self, money: Money, to: str, day: dt.date) -> Money:
        """`money` in `to` at the rate of `day`, rounded to `to`'s minor unit."""
        if money.currency == to:
            return money.rounded()
        rate = self.quote(money.currency, to, day).rate
        return Money(round_amount(money.amount * rate, to), to)

    def to_company(self, money: Money, day: dt.date) -> Money:
        return self.convert(money, self.company_currency, day)
