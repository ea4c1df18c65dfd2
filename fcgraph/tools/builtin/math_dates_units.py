"""Calculator tools: arithmetic, number theory, finance, calendar dates, time zones and unit conversions.

They take their inputs as arguments (no files) and use the standard library only. Dates are ISO
8601 (YYYY-MM-DD) and nothing depends on today's date: anything relative ("age", "days left") takes
its reference date as an argument, so the same call always gives the same answer. Results that are
floats are rounded to 12 significant digits to hide binary rounding noise (0.1 + 0.2 gives 0.3).
"""

import ast
import calendar
import itertools
import math
import operator
import re
import zoneinfo
from datetime import date as _date
from datetime import datetime as _datetime
from datetime import timedelta as _timedelta
from typing import Any, Literal

from fcgraph.tools.paths import ToolError

CATEGORY = "math_dates_units"

_MAX_EXPRESSION = 500
_MAX_DIGITS = 1000  # integer results beyond this many digits are refused rather than computed
_MAX_FLOWS = 100  # periods of a cash-flow series; far beyond that, discounting at rates near -100% overflows
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


# ---------------------------------------------------------------- shared checks
def _clean(value: float) -> float:
    """A float without binary rounding noise: 12 significant digits."""
    return float(f"{value:.12g}")


def _integer(name: str, value: Any, minimum: int | None = None, maximum: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or (minimum is not None and value < minimum) \
            or (maximum is not None and value > maximum):
        bounds = " and ".join(b for b in (f">= {minimum}" if minimum is not None else "",
                                          f"<= {maximum}" if maximum is not None else "") if b)
        raise ToolError(f"'{name}' must be an integer{' ' + bounds if bounds else ''}, got {value!r}")
    return value


def _real(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ToolError(f"'{name}' must be a finite number, got {value!r}")
    return float(value)


def _day(name: str, text: Any) -> _date:
    try:
        return _date.fromisoformat(str(text).strip())
    except ValueError:
        raise ToolError(f"'{name}' must be an ISO date YYYY-MM-DD, got {text!r}") from None


def _cash_flows(cash_flows: Any) -> list[float]:
    if not isinstance(cash_flows, list) or not 1 <= len(cash_flows) <= _MAX_FLOWS:
        raise ToolError(f"'cash_flows' must be a list of 1 to {_MAX_FLOWS} numbers, got {cash_flows!r}")
    return [_real("cash_flows", flow) for flow in cash_flows]


# ---------------------------------------------------------------- arithmetic
_BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
           ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod, ast.Pow: operator.pow}
_UNARY = {ast.UAdd: operator.pos, ast.USub: operator.neg}
_CONSTANTS = {"pi": math.pi, "e": math.e, "tau": math.tau}
_FUNCTIONS = {"sqrt": math.sqrt, "exp": math.exp, "ln": math.log, "log": math.log, "log10": math.log10,
              "log2": math.log2, "sin": math.sin, "cos": math.cos, "tan": math.tan, "asin": math.asin,
              "acos": math.acos, "atan": math.atan, "degrees": math.degrees, "radians": math.radians, "abs": abs,
              "round": round, "floor": math.floor, "ceil": math.ceil, "min": min, "max": max}


def _checked(value: Any) -> int | float:
    if isinstance(value, int) and value.bit_length() > _MAX_DIGITS * 3.33:
        raise ToolError(f"the result has more than {_MAX_DIGITS} digits")
    if isinstance(value, complex):
        raise ToolError("the result is a complex number (e.g. a fractional power of a negative number)")
    return value


def _power(base: int | float, exponent: int | float) -> int | float:
    if isinstance(base, int) and isinstance(exponent, int) and abs(base) > 1 \
            and exponent * math.log10(abs(base)) > _MAX_DIGITS:
        raise ToolError(f"the result has more than {_MAX_DIGITS} digits")
    return base ** exponent


def _evaluate(node: ast.AST) -> int | float:
    if isinstance(node, ast.Expression):
        return _evaluate(node.body)
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float) and not isinstance(node.value, bool):
        return node.value
    if isinstance(node, ast.Name) and node.id in _CONSTANTS:
        return _CONSTANTS[node.id]
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        return _UNARY[type(node.op)](_evaluate(node.operand))
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        left, right = _evaluate(node.left), _evaluate(node.right)
        return _checked(_power(left, right) if isinstance(node.op, ast.Pow) else _BINARY[type(node.op)](left, right))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitXor):
        raise ToolError("'^' is not a power operator here; write powers with '**', e.g. 2**10")
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _FUNCTIONS and not node.keywords:
        return _checked(_FUNCTIONS[node.func.id](*(_evaluate(arg) for arg in node.args)))
    shown = ast.unparse(node) if not isinstance(node, ast.Expression) else ""
    raise ToolError(f"unsupported element in the expression: '{shown}'; allowed are numbers, + - * / // % **, "
                    f"parentheses, {', '.join(_CONSTANTS)} and the functions {', '.join(_FUNCTIONS)}")


def math_evaluate(expression: str) -> dict:
    """Evaluate an arithmetic expression exactly as written, safely (it is parsed, never executed as code).

    Supports numbers, + - * / // % ** and parentheses, the constants pi, e and tau, and the functions
    sqrt, exp, ln/log (natural), log10, log2, sin, cos, tan, asin, acos, atan (radians), degrees,
    radians, abs, round, floor, ceil, min and max. Integers stay exact.

    Args:
        expression: The expression, e.g. "(1250 * 1.08 - 200) / 12" or "sqrt(2) * 10**3".
    """
    text = str(expression).strip()
    if not text or len(text) > _MAX_EXPRESSION:
        raise ToolError(f"'expression' must be 1 to {_MAX_EXPRESSION} characters long")
    try:
        tree = ast.parse(text.replace("×", "*").replace("÷", "/"), mode="eval")
    except SyntaxError:
        raise ToolError(f"'{text}' is not a valid arithmetic expression") from None
    try:
        value = _evaluate(tree)
    except ZeroDivisionError:
        raise ToolError("division by zero") from None
    except (ValueError, OverflowError, TypeError) as exc:  # math domain errors, float overflow, wrong arity
        raise ToolError(f"cannot evaluate '{text}': {exc}") from None
    return {"expression": text, "result": value if isinstance(value, int) else _clean(value)}


def math_solve_quadratic(a: float, b: float, c: float) -> dict:
    """Solve the quadratic equation a·x² + b·x + c = 0, giving real or complex roots.

    When a is 0 the equation is linear and its single root (if any) is returned.

    Args:
        a: Coefficient of x².
        b: Coefficient of x.
        c: Constant term.
    """
    a, b, c = _real("a", a), _real("b", b), _real("c", c)
    if a == 0:
        if b == 0:
            raise ToolError("with a = 0 and b = 0 there is no unknown left to solve for")
        return {"kind": "linear", "roots": [_clean(-c / b)]}
    discriminant = b * b - 4 * a * c
    if discriminant >= 0:
        root = math.sqrt(discriminant)
        roots = sorted({_clean((-b - root) / (2 * a)), _clean((-b + root) / (2 * a))})
        return {"kind": "two real roots" if discriminant > 0 else "one repeated real root",
                "discriminant": _clean(discriminant), "roots": roots}
    real, imaginary = -b / (2 * a), math.sqrt(-discriminant) / (2 * abs(a))
    return {"kind": "two complex roots", "discriminant": _clean(discriminant),
            "roots": [{"real": _clean(real), "imaginary": _clean(sign * imaginary)} for sign in (-1, 1)]}


def math_gcd_lcm(numbers: list[int]) -> dict:
    """Compute the greatest common divisor and least common multiple of two or more integers.

    Args:
        numbers: The integers, e.g. [12, 18, 30].
    """
    if not isinstance(numbers, list) or len(numbers) < 2:
        raise ToolError(f"'numbers' must be a list of at least two integers, got {numbers!r}")
    values = [_integer("numbers", n) for n in numbers]
    return {"numbers": values, "gcd": math.gcd(*values), "lcm": math.lcm(*values)}


def math_prime_factors(n: int) -> dict:
    """Factorise an integer into primes, e.g. 360 = 2^3 × 3^2 × 5.

    Args:
        n: Integer from 2 to 1,000,000,000,000 to factorise.
    """
    _integer("n", n, 2, 10**12)
    factors, rest, divisor = [], n, 2
    while divisor * divisor <= rest:
        while rest % divisor == 0:
            factors.append(divisor)
            rest //= divisor
        divisor += 1 if divisor == 2 else 2
    if rest > 1:
        factors.append(rest)
    powers = {p: factors.count(p) for p in dict.fromkeys(factors)}
    return {"n": n, "factors": factors,
            "factorization": " × ".join(f"{p}^{k}" if k > 1 else str(p) for p, k in powers.items())}


def _is_prime(n: int) -> bool:
    """Deterministic Miller-Rabin: these bases decide every n below 3.3 * 10^24."""
    if n < 2:
        return False
    bases = (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37)
    if n in bases:
        return True
    if any(n % p == 0 for p in bases):
        return False
    d, s = n - 1, 0
    while d % 2 == 0:
        d, s = d // 2, s + 1
    for a in bases:
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


def math_is_prime(n: int) -> dict:
    """Tell whether an integer is prime, and give the next prime after it.

    Args:
        n: Integer to test, from 0 to 10^24.
    """
    _integer("n", n, 0, 10**24)
    following = n + 1
    while not _is_prime(following):
        following += 1
    return {"n": n, "is_prime": _is_prime(n), "next_prime": following}


def math_fibonacci(n: int) -> dict:
    """Give the n-th Fibonacci number (F(0) = 0, F(1) = 1, F(n) = F(n-1) + F(n-2)).

    Args:
        n: Index from 0 to 1000.
    """
    _integer("n", n, 0, 1000)
    previous, current = 0, 1
    for _ in range(n):
        previous, current = current, previous + current
    return {"n": n, "value": previous}


def math_factorial(n: int) -> dict:
    """Compute n! (the product 1 × 2 × ... × n) exactly.

    Args:
        n: Integer from 0 to 450.
    """
    _integer("n", n, 0, 450)
    value = math.factorial(n)
    return {"n": n, "value": value, "digits": len(str(value))}


def math_combinations(n: int, k: int, order_matters: bool = False) -> dict:
    """Count the ways to choose k items out of n: combinations C(n, k), or permutations P(n, k) when order matters.

    Args:
        n: Number of distinct items to choose from (0 to 10000).
        k: Number of items chosen (0 to n).
        order_matters: Whether different orders count separately (permutations) or not (combinations).
    """
    _integer("n", n, 0, 10_000)
    _integer("k", k, 0, n)
    value = math.perm(n, k) if order_matters else math.comb(n, k)
    if len(str(value)) > _MAX_DIGITS:
        raise ToolError(f"the result has more than {_MAX_DIGITS} digits")
    return {"n": n, "k": k, "kind": "permutations" if order_matters else "combinations", "value": value}


def math_percent_change(old_value: float, new_value: float) -> dict:
    """Compute the change and the percentage change from an old value to a new one.

    Args:
        old_value: The starting value, e.g. last year's revenue; must not be 0.
        new_value: The new value.
    """
    old, new = _real("old_value", old_value), _real("new_value", new_value)
    if old == 0:
        raise ToolError("'old_value' is 0: a percentage change from zero is undefined")
    return {"old_value": old, "new_value": new, "change": _clean(new - old),
            "percent_change": _clean((new - old) / abs(old) * 100)}


def math_compound_interest(principal: float, annual_rate_pct: float, years: float, compounds_per_year: int = 12) -> dict:
    """Grow a sum at compound interest: the final amount, the interest earned and the effective annual rate.

    Args:
        principal: Amount invested at the start, e.g. 10000.
        annual_rate_pct: Nominal annual interest rate in percent, e.g. 4.5 for 4.5%.
        years: Investment period in years (fractions allowed, e.g. 2.5).
        compounds_per_year: Compounding periods per year: 1 yearly, 4 quarterly, 12 monthly, 365 daily.
    """
    start, rate, span = _real("principal", principal), _real("annual_rate_pct", annual_rate_pct) / 100, _real("years", years)
    _integer("compounds_per_year", compounds_per_year, 1, 366)
    if span < 0 or rate <= -1:
        raise ToolError("'years' must be >= 0 and 'annual_rate_pct' greater than -100")
    try:
        final = start * (1 + rate / compounds_per_year) ** (compounds_per_year * span)
    except OverflowError:
        raise ToolError("the amount grows too large to represent") from None
    effective = (1 + rate / compounds_per_year) ** compounds_per_year - 1
    return {"final_amount": round(final, 2), "interest": round(final - start, 2),
            "effective_annual_rate_pct": _clean(effective * 100)}


def math_loan_payment(principal: float, annual_rate_pct: float, years: float, payments_per_year: int = 12) -> dict:
    """Compute the fixed instalment that repays a loan (annuity), with the total paid and the total interest.

    The instalment is rounded to cents, and the totals are what those rounded instalments add up to.

    Args:
        principal: Amount borrowed, e.g. 250000.
        annual_rate_pct: Nominal annual interest rate in percent, e.g. 6.5.
        years: Loan term in years, e.g. 30.
        payments_per_year: Instalments per year, e.g. 12 for monthly payments.
    """
    amount, rate, span = _real("principal", principal), _real("annual_rate_pct", annual_rate_pct) / 100, _real("years", years)
    _integer("payments_per_year", payments_per_year, 1, 365)
    count = round(span * payments_per_year)
    if amount <= 0 or count < 1 or rate < 0:
        raise ToolError("'principal' must be > 0, 'annual_rate_pct' >= 0 and the term at least one payment long")
    periodic = rate / payments_per_year
    payment = round(amount / count if periodic == 0 else amount * periodic / (1 - (1 + periodic) ** -count), 2)
    return {"payment": payment, "payments": count, "total_paid": round(payment * count, 2),
            "total_interest": round(payment * count - amount, 2)}


def _npv(rate: float, flows: list[float]) -> float:
    return math.fsum(flow / (1 + rate) ** t for t, flow in enumerate(flows))


def math_npv(rate_pct: float, cash_flows: list[float]) -> dict:
    """Compute the net present value of a series of yearly (or per-period) cash flows.

    The first cash flow happens now (time 0, not discounted, usually the negative investment); each
    later one is discounted by one more period. Note that spreadsheet NPV functions discount the first
    value too.

    Args:
        rate_pct: Discount rate per period in percent, e.g. 8.
        cash_flows: Cash flows in order starting at time 0, e.g. [-10000, 3000, 4200, 6800].
    """
    rate = _real("rate_pct", rate_pct) / 100
    if rate <= -1:
        raise ToolError("'rate_pct' must be greater than -100")
    return {"rate_pct": rate_pct, "npv": round(_npv(rate, _cash_flows(cash_flows)), 2)}


def math_irr(cash_flows: list[float]) -> dict:
    """Compute the internal rate of return: the discount rate at which the cash flows' NPV is zero.

    The cash flows must change sign (an investment followed by returns). When several rates solve
    the equation, the one closest above -100% found on a scan up to 1000% is given.

    Args:
        cash_flows: Cash flows in order starting at time 0, e.g. [-10000, 3000, 4200, 6800].
    """
    flows = _cash_flows(cash_flows)
    if not (any(f > 0 for f in flows) and any(f < 0 for f in flows)):
        raise ToolError("the cash flows must include both negative and positive values")
    grid = [-0.99 + i * 0.01 for i in range(1100)]
    for low, high in itertools.pairwise(grid):
        if _npv(low, flows) * _npv(high, flows) <= 0:
            for _ in range(200):
                middle = (low + high) / 2
                low, high = (middle, high) if _npv(low, flows) * _npv(middle, flows) > 0 else (low, middle)
            return {"irr_pct": round((low + high) / 2 * 100, 6)}
    raise ToolError("no internal rate of return between -99% and 1000% makes the NPV zero")


def math_round_significant(value: float, digits: int = 3) -> dict:
    """Round a number to a given number of significant digits, e.g. 123456 to 3 digits gives 123000.

    Args:
        value: The number to round.
        digits: Number of significant digits to keep (1 to 15).
    """
    number = _real("value", value)
    _integer("digits", digits, 1, 15)
    rounded = float(f"{number:.{digits}g}")
    return {"value": number, "digits": digits, "rounded": int(rounded) if rounded.is_integer() else rounded,
            "scientific": f"{number:.{digits - 1}e}"}


_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
_PREFIXES = {2: "0b", 8: "0o", 16: "0x"}


def math_convert_base(value: str, from_base: int, to_base: int) -> dict:
    """Convert an integer written in one base (2 to 36) into another, e.g. "ff" from base 16 to base 2.

    Digits above 9 are letters (a = 10 ... z = 35, case-insensitive). A minus sign and the prefixes
    0b, 0o and 0x (matching the base) are accepted.

    Args:
        value: The integer as text in from_base, e.g. "ff", "0b1010" or "-777".
        from_base: Base the value is written in, 2 to 36.
        to_base: Base to write the result in, 2 to 36.
    """
    _integer("from_base", from_base, 2, 36)
    _integer("to_base", to_base, 2, 36)
    text = str(value).strip().lower().replace("_", "")
    negative = text.startswith("-")
    text = text.lstrip("+-")
    if from_base in _PREFIXES and text.startswith(_PREFIXES[from_base]):
        text = text[2:]
    try:
        number = int(text, from_base)
    except ValueError:
        raise ToolError(f"'{value}' is not an integer in base {from_base}") from None
    digits, rest = "", number
    while True:
        rest, digit = divmod(rest, to_base)
        digits = _DIGITS[digit] + digits
        if rest == 0:
            break
    return {"value": str(value), "from_base": from_base, "to_base": to_base,
            "result": ("-" if negative and number else "") + digits, "decimal": -number if negative else number}


_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
          (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def _roman(number: int) -> str:
    numeral = ""
    for amount, letters in _ROMAN:
        count, number = divmod(number, amount)
        numeral += letters * count
    return numeral


def math_to_roman(number: int) -> dict:
    """Write an integer from 1 to 3999 as a Roman numeral, e.g. 2024 -> MMXXIV.

    Args:
        number: The integer to write, 1 to 3999.
    """
    _integer("number", number, 1, 3999)
    return {"number": number, "roman": _roman(number)}


def math_from_roman(numeral: str) -> dict:
    """Read a Roman numeral (I to MMMCMXCIX) as an integer, e.g. MCMXCIV -> 1994.

    Only correctly formed numerals are accepted (IIII or IC are rejected).

    Args:
        numeral: The Roman numeral, in upper or lower case, e.g. "XLII".
    """
    text = str(numeral).strip().upper()
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
    if not text or any(ch not in values for ch in text):
        raise ToolError(f"'{numeral}' is not a Roman numeral: use only the letters I, V, X, L, C, D and M")
    total = sum(-values[a] if values[a] < values[b] else values[a] for a, b in itertools.pairwise(text)) + values[text[-1]]
    if not 1 <= total <= 3999 or _roman(total) != text:
        raise ToolError(f"'{numeral}' is not a correctly formed Roman numeral")
    return {"roman": text, "number": total}


# ---------------------------------------------------------------- dates
def _add_months(day: _date, months: int) -> _date:
    """The same day `months` later, clamped to the month's last day (Jan 31 + 1 month = Feb 28/29)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    if not 1 <= year <= 9999:
        raise ToolError("the resulting date is outside the years 1 to 9999")
    return _date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _calendar_span(start: _date, end: _date) -> dict[str, int]:
    """Whole years, months and days from start to end (start <= end), as a person counts an age."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if _add_months(start, months) > end:
        months -= 1
    return {"years": months // 12, "months": months % 12, "days": (end - _add_months(start, months)).days}


def date_difference(start_date: str, end_date: str) -> dict:
    """Count the days between two dates, also as weeks and as calendar years, months and days.

    The results are negative when end_date is before start_date.

    Args:
        start_date: First date, ISO format YYYY-MM-DD, e.g. "2024-01-15".
        end_date: Second date, ISO format YYYY-MM-DD, e.g. "2024-06-30".
    """
    start, end = _day("start_date", start_date), _day("end_date", end_date)
    days = (end - start).days
    span = _calendar_span(min(start, end), max(start, end))
    return {"start_date": start.isoformat(), "end_date": end.isoformat(), "days": days, "weeks": _clean(days / 7),
            "calendar": {k: -v for k, v in span.items()} if days < 0 else span}


def date_add(start_date: str, days: int = 0, weeks: int = 0, months: int = 0, years: int = 0) -> dict:
    """Add (or, with negative numbers, subtract) days, weeks, months and years to a date.

    Years and months are added first, keeping the day of the month where it exists and otherwise
    using the month's last day (2024-01-31 plus one month is 2024-02-29); then weeks and days.

    Args:
        start_date: The date to start from, ISO format YYYY-MM-DD.
        days: Days to add (negative to go back).
        weeks: Weeks to add (negative to go back).
        months: Calendar months to add (negative to go back).
        years: Calendar years to add (negative to go back).
    """
    start = _day("start_date", start_date)
    for name, value in (("days", days), ("weeks", weeks), ("months", months), ("years", years)):
        _integer(name, value, -100_000, 100_000)
    try:
        result = _add_months(start, 12 * years + months) + _timedelta(days=days, weeks=weeks)
    except OverflowError:
        raise ToolError("the resulting date is outside the years 1 to 9999") from None
    return {"start_date": start.isoformat(), "date": result.isoformat(), "weekday": _WEEKDAYS[result.weekday()].title()}


def date_business_days(start_date: str, end_date: str, holidays: list[str] = []) -> dict:
    """Count the working days (Monday to Friday) from one date to another, both dates included.

    Holidays that fall on a weekday are not counted either.

    Args:
        start_date: First day of the period, ISO format YYYY-MM-DD.
        end_date: Last day of the period (not before start_date), ISO format YYYY-MM-DD.
        holidays: Public holidays or days off to exclude, as ISO dates, e.g. ["2024-07-04"].
    """
    start, end = _day("start_date", start_date), _day("end_date", end_date)
    if end < start:
        raise ToolError("'end_date' must not be before 'start_date'")
    if not isinstance(holidays, list):
        raise ToolError(f"'holidays' must be a list of ISO dates, got {holidays!r}")
    off = {_day("holidays", h) for h in holidays}
    span = (end - start).days + 1
    weekdays = [start + _timedelta(days=i) for i in range(span) if (start + _timedelta(days=i)).weekday() < 5]
    excluded = sorted(d.isoformat() for d in off if start <= d <= end and d.weekday() < 5)
    return {"start_date": start.isoformat(), "end_date": end.isoformat(), "calendar_days": span,
            "business_days": len(weekdays) - len(excluded), "holidays_excluded": excluded}


def date_weekday(date: str) -> dict:
    """Tell which day of the week a date falls on.

    Args:
        date: The date, ISO format YYYY-MM-DD, e.g. "2024-07-04".
    """
    value = _day("date", date)
    return {"date": value.isoformat(), "weekday": _WEEKDAYS[value.weekday()].title(),
            "iso_weekday": value.isoweekday(), "is_weekend": value.weekday() >= 5}


def date_iso_week(date: str) -> dict:
    """Give the ISO 8601 week of a date (weeks start on Monday; week 1 holds the year's first Thursday).

    Args:
        date: The date, ISO format YYYY-MM-DD.
    """
    value = _day("date", date)
    year, week, weekday = value.isocalendar()
    monday = value - _timedelta(days=weekday - 1)
    return {"date": value.isoformat(), "iso_year": year, "week": week, "label": f"{year}-W{week:02d}",
            "week_start": monday.isoformat(), "week_end": (monday + _timedelta(days=6)).isoformat()}


_TIME_DIRECTIVES = re.compile(r"%[HIMSfpXcz]")


def date_parse(text: str, format: str) -> dict:
    """Read a date (or date and time) written in a known layout and give it in ISO 8601 form.

    The layout uses Python strptime codes: %d day, %m month number, %b / %B month name, %y / %Y
    year, %H %M %S time, %p AM/PM; e.g. "%d/%m/%Y" reads "30/06/2024" and "%B %d, %Y" reads
    "June 30, 2024". English month and day names are expected.

    Args:
        text: The date as written, e.g. "30/06/2024".
        format: Its layout in strptime codes, e.g. "%d/%m/%Y".
    """
    try:
        parsed = _datetime.strptime(str(text).strip(), str(format))
    except ValueError as exc:
        raise ToolError(f"'{text}' does not match the format '{format}': {exc}") from None
    has_time = bool(_TIME_DIRECTIVES.search(str(format)))
    return {"text": text, "iso": parsed.isoformat() if has_time else parsed.date().isoformat(),
            "weekday": _WEEKDAYS[parsed.weekday()].title()}


def date_format(date: str, format: str) -> dict:
    """Write an ISO date (or date and time) in another layout, e.g. "2024-06-30" as "30 June 2024".

    The layout uses Python strftime codes: %d day, %m month, %B month name, %b short month name,
    %A weekday name, %Y year, %y two-digit year, %j day of the year, %H:%M time. Names are English.

    Args:
        date: The date, ISO format YYYY-MM-DD, optionally with a time, e.g. "2024-06-30T14:05".
        format: The layout in strftime codes, e.g. "%d %B %Y" or "%A, %b %d".
    """
    try:
        value = _datetime.fromisoformat(str(date).strip())
    except ValueError:
        raise ToolError(f"'date' must be an ISO date YYYY-MM-DD (optionally with a time), got {date!r}") from None
    if not str(format).strip():
        raise ToolError("'format' must not be empty")
    return {"date": str(date), "formatted": value.strftime(str(format))}


def date_period_end(date: str, period: Literal["week", "month", "quarter", "year"] = "month") -> dict:
    """Give the last day of the week, month, quarter or year that contains a date, and how many days remain.

    days_remaining counts the days after the given date up to and including the last day (0 on the last day).

    Args:
        date: The date, ISO format YYYY-MM-DD.
        period: "week" (ending Sunday), "month", "quarter" or "year".
    """
    value = _day("date", date)
    if period == "week":
        end = value + _timedelta(days=6 - value.weekday())
    elif period in ("month", "quarter", "year"):
        last_month = {"month": value.month, "quarter": 3 * ((value.month - 1) // 3 + 1), "year": 12}[period]
        end = _date(value.year, last_month, calendar.monthrange(value.year, last_month)[1])
    else:
        raise ToolError(f"'period' must be 'week', 'month', 'quarter' or 'year', got {period!r}")
    return {"date": value.isoformat(), "period": period, "period_end": end.isoformat(),
            "days_remaining": (end - value).days}


def date_age(birth_date: str, reference_date: str) -> dict:
    """Compute someone's (or something's) age on a given date, in whole years plus months and days.

    Args:
        birth_date: Date of birth or start, ISO format YYYY-MM-DD, e.g. "1988-02-29".
        reference_date: Date at which the age is measured (not before birth_date), ISO format YYYY-MM-DD.
    """
    born, at = _day("birth_date", birth_date), _day("reference_date", reference_date)
    if at < born:
        raise ToolError("'reference_date' is before 'birth_date'")
    return {"birth_date": born.isoformat(), "reference_date": at.isoformat(), **_calendar_span(born, at),
            "total_days": (at - born).days}


def _zone(name: str, value: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(str(value).strip())
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ToolError(f"'{name}' must be an IANA time zone such as 'Europe/Berlin', 'America/New_York' or 'UTC', "
                        f"got {value!r}") from None


def date_convert_timezone(local_time: str, from_timezone: str, to_timezone: str) -> dict:
    """Convert a local date and time from one time zone to another, daylight saving time included.

    Args:
        local_time: Local date and time in from_timezone, ISO format without offset, e.g. "2024-06-28T09:30".
        from_timezone: IANA time zone of the given time, e.g. "America/Denver".
        to_timezone: IANA time zone to convert to, e.g. "Europe/Stockholm" or "UTC".
    """
    try:
        local = _datetime.fromisoformat(str(local_time).strip())
    except ValueError:
        raise ToolError(f"'local_time' must be an ISO date and time such as 2024-06-28T09:30, got {local_time!r}") from None
    if local.tzinfo is not None:
        raise ToolError("'local_time' must not carry a UTC offset; give the local time and name its zone in from_timezone")
    source, target = _zone("from_timezone", from_timezone), _zone("to_timezone", to_timezone)
    converted = local.replace(tzinfo=source).astimezone(target)
    return {"from": local.replace(tzinfo=source).isoformat(), "to": converted.isoformat(),
            "from_timezone": str(source), "to_timezone": str(target),
            "offset_hours": _clean((converted.utcoffset() - local.replace(tzinfo=source).utcoffset()).total_seconds() / 3600)}


def date_weekdays_in_month(year: int, month: int,
                           weekday: Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]) -> dict:
    """List the dates on which a given weekday falls in a month, e.g. every Friday of June 2024.

    Args:
        year: The year, e.g. 2024.
        month: The month number, 1 to 12.
        weekday: Day of the week in English, lower case, e.g. "friday".
    """
    _integer("year", year, 1, 9999)
    _integer("month", month, 1, 12)
    name = str(weekday).strip().lower()
    if name not in _WEEKDAYS:
        raise ToolError(f"'weekday' must be one of {', '.join(_WEEKDAYS)}, got {weekday!r}")
    days = calendar.monthrange(year, month)[1]
    dates = [_date(year, month, d).isoformat() for d in range(1, days + 1)
             if _date(year, month, d).weekday() == _WEEKDAYS.index(name)]
    return {"year": year, "month": month, "weekday": name, "count": len(dates), "dates": dates}


# ---------------------------------------------------------------- units
# Each table gives how many of the base unit (first entry) one unit is.
_LENGTH = {"m": 1.0, "mm": 1e-3, "cm": 1e-2, "km": 1e3, "in": 0.0254, "ft": 0.3048, "yd": 0.9144, "mi": 1609.344,
           "nmi": 1852.0}
_MASS = {"kg": 1.0, "mg": 1e-6, "g": 1e-3, "t": 1e3, "oz": 0.028349523125, "lb": 0.45359237, "st": 6.35029318}
_VOLUME = {"l": 1.0, "ml": 1e-3, "cl": 1e-2, "m3": 1e3, "us_tsp": 0.00492892159375, "us_tbsp": 0.01478676478125,
           "us_fl_oz": 0.0295735295625, "us_cup": 0.2365882365, "us_pint": 0.473176473, "us_quart": 0.946352946,
           "us_gallon": 3.785411784, "imp_pint": 0.56826125, "imp_gallon": 4.54609, "cu_in": 0.016387064,
           "cu_ft": 28.316846592}
_AREA = {"m2": 1.0, "mm2": 1e-6, "cm2": 1e-4, "km2": 1e6, "ha": 1e4, "in2": 0.00064516, "ft2": 0.09290304,
         "yd2": 0.83612736, "acre": 4046.8564224, "mi2": 2589988.110336}
_SPEED = {"m/s": 1.0, "km/h": 1 / 3.6, "mph": 0.44704, "knot": 1852 / 3600, "ft/s": 0.3048}
_DATA = {"B": 1.0, "bit": 0.125, "KB": 1e3, "MB": 1e6, "GB": 1e9, "TB": 1e12, "PB": 1e15, "KiB": 2.0**10,
         "MiB": 2.0**20, "GiB": 2.0**30, "TiB": 2.0**40, "PiB": 2.0**50, "Kbit": 125.0, "Mbit": 125e3, "Gbit": 125e6}
_DURATION = {"s": 1.0, "ms": 1e-3, "min": 60.0, "h": 3600.0, "day": 86400.0, "week": 604800.0}

_LengthUnit = Literal[tuple(_LENGTH)]  # type: ignore[valid-type]
_MassUnit = Literal[tuple(_MASS)]  # type: ignore[valid-type]
_VolumeUnit = Literal[tuple(_VOLUME)]  # type: ignore[valid-type]
_AreaUnit = Literal[tuple(_AREA)]  # type: ignore[valid-type]
_SpeedUnit = Literal[tuple(_SPEED)]  # type: ignore[valid-type]
_DataUnit = Literal[tuple(_DATA)]  # type: ignore[valid-type]
_DurationUnit = Literal[tuple(_DURATION)]  # type: ignore[valid-type]


def _units(from_unit: str, to_unit: str, known: Any, expected: str) -> None:
    """Both units must be in `known`; the error says what was `expected` (ending with its own separator)."""
    for name, unit in (("from_unit", from_unit), ("to_unit", to_unit)):
        if unit not in known:
            raise ToolError(f"'{name}' must be {expected} got {unit!r}")


def _converted(number: float, from_unit: str, to_unit: str, result: float) -> dict:
    return {"value": number, "from_unit": from_unit, "to_unit": to_unit, "result": _clean(result)}


def _convert(value: float, from_unit: str, to_unit: str, table: dict[str, float], quantity: str) -> dict:
    number = _real("value", value)
    _units(from_unit, to_unit, table, f"a {quantity} unit: {', '.join(table)};")
    return _converted(number, from_unit, to_unit, number * table[from_unit] / table[to_unit])


def unit_length(value: float, from_unit: _LengthUnit, to_unit: _LengthUnit) -> dict:
    """Convert a length or distance between metric and imperial units.

    Units: mm, cm, m, km, in (inch), ft (foot), yd (yard), mi (statute mile), nmi (nautical mile).

    Args:
        value: The length to convert, e.g. 26.2.
        from_unit: Unit of the value, e.g. "mi".
        to_unit: Unit to convert to, e.g. "km".
    """
    return _convert(value, from_unit, to_unit, _LENGTH, "length")


def unit_mass(value: float, from_unit: _MassUnit, to_unit: _MassUnit) -> dict:
    """Convert a mass (weight) between metric and imperial units.

    Units: mg, g, kg, t (metric tonne), oz (avoirdupois ounce), lb (pound), st (stone).

    Args:
        value: The mass to convert, e.g. 2.4.
        from_unit: Unit of the value, e.g. "kg".
        to_unit: Unit to convert to, e.g. "lb".
    """
    return _convert(value, from_unit, to_unit, _MASS, "mass")


def unit_temperature(value: float, from_unit: Literal["C", "F", "K"], to_unit: Literal["C", "F", "K"]) -> dict:
    """Convert a temperature between degrees Celsius (C), degrees Fahrenheit (F) and kelvin (K).

    Args:
        value: The temperature to convert, e.g. -10.
        from_unit: Scale of the value: "C", "F" or "K".
        to_unit: Scale to convert to: "C", "F" or "K".
    """
    to_kelvin = {"C": lambda t: t + 273.15, "F": lambda t: (t - 32) * 5 / 9 + 273.15, "K": lambda t: t}
    from_kelvin = {"C": lambda k: k - 273.15, "F": lambda k: (k - 273.15) * 9 / 5 + 32, "K": lambda k: k}
    number = _real("value", value)
    _units(from_unit, to_unit, to_kelvin, "'C', 'F' or 'K',")
    kelvin = to_kelvin[from_unit](number)
    if kelvin < -1e-9:
        raise ToolError(f"{value} {from_unit} is below absolute zero")
    return _converted(number, from_unit, to_unit, from_kelvin[to_unit](kelvin))


def unit_volume(value: float, from_unit: _VolumeUnit, to_unit: _VolumeUnit) -> dict:
    """Convert a volume between metric, US customary and imperial units.

    Units: ml, cl, l, m3 (cubic metre), us_tsp, us_tbsp, us_fl_oz, us_cup, us_pint, us_quart,
    us_gallon, imp_pint, imp_gallon (UK), cu_in, cu_ft.

    Args:
        value: The volume to convert, e.g. 5.
        from_unit: Unit of the value, e.g. "us_gallon".
        to_unit: Unit to convert to, e.g. "l".
    """
    return _convert(value, from_unit, to_unit, _VOLUME, "volume")


def unit_area(value: float, from_unit: _AreaUnit, to_unit: _AreaUnit) -> dict:
    """Convert an area between metric and imperial units.

    Units: mm2, cm2, m2, km2, ha (hectare), in2, ft2, yd2, acre, mi2 (the 2 means squared).

    Args:
        value: The area to convert, e.g. 1200.
        from_unit: Unit of the value, e.g. "ft2".
        to_unit: Unit to convert to, e.g. "m2".
    """
    return _convert(value, from_unit, to_unit, _AREA, "area")


def unit_speed(value: float, from_unit: _SpeedUnit, to_unit: _SpeedUnit) -> dict:
    """Convert a speed between m/s, km/h, mph, knot and ft/s.

    Args:
        value: The speed to convert, e.g. 65.
        from_unit: Unit of the value, e.g. "mph".
        to_unit: Unit to convert to, e.g. "km/h".
    """
    return _convert(value, from_unit, to_unit, _SPEED, "speed")


def unit_data_size(value: float, from_unit: _DataUnit, to_unit: _DataUnit) -> dict:
    """Convert an amount of digital data between bits, bytes, decimal (KB, MB, ...) and binary (KiB, MiB, ...) units.

    Decimal units are powers of 1000 (1 MB = 1,000,000 bytes), binary units powers of 1024
    (1 MiB = 1,048,576 bytes); Kbit, Mbit and Gbit are decimal multiples of bits.

    Args:
        value: The amount to convert, e.g. 500.
        from_unit: Unit of the value: bit, B, KB, MB, GB, TB, PB, KiB, MiB, GiB, TiB, PiB, Kbit, Mbit or Gbit.
        to_unit: Unit to convert to, from the same list.
    """
    return _convert(value, from_unit, to_unit, _DATA, "data size")


def unit_duration(value: float, from_unit: _DurationUnit, to_unit: _DurationUnit) -> dict:
    """Convert a time duration between milliseconds, seconds, minutes, hours, days and weeks.

    Args:
        value: The duration to convert, e.g. 90.
        from_unit: Unit of the value: ms, s, min, h, day or week.
        to_unit: Unit to convert to: ms, s, min, h, day or week.
    """
    return _convert(value, from_unit, to_unit, _DURATION, "duration")


def unit_currency(amount: float, rate: float, from_currency: str, to_currency: str) -> dict:
    """Convert an amount of money at a given exchange rate (no live rates are looked up).

    Args:
        amount: The amount in from_currency, e.g. 1250.
        rate: How many units of to_currency one unit of from_currency buys, e.g. 0.92 for USD to EUR.
        from_currency: Three-letter ISO code of the amount's currency, e.g. "USD".
        to_currency: Three-letter ISO code of the target currency, e.g. "EUR".
    """
    money, factor = _real("amount", amount), _real("rate", rate)
    if factor <= 0:
        raise ToolError(f"'rate' must be greater than 0, got {rate!r}")
    codes = [str(c).strip().upper() for c in (from_currency, to_currency)]
    if not all(re.fullmatch(r"[A-Z]{3}", c) for c in codes):
        raise ToolError(f"currencies must be three-letter ISO codes such as USD or EUR, got {from_currency!r} and {to_currency!r}")
    return {"amount": money, "from_currency": codes[0], "to_currency": codes[1], "rate": factor,
            "converted": round(money * factor, 2), "inverse_rate": _clean(1 / factor)}
