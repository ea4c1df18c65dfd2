"""The math, date and unit tools, run in a real sandbox worker.

Expected values come from definitions rather than from the same code paths: roots are put back into
their equation, factors multiplied out, business days counted one day at a time, an annuity paid
down period by period, unit factors checked against their legal definitions.
"""

from __future__ import annotations

import calendar
import inspect
import math
from datetime import date, datetime, timedelta
from functools import reduce
from zoneinfo import ZoneInfo

import pytest
from tool_checks import VIEWS, assert_tested_and_described, first_time, grounded_calls

from fcgraph.simulator.intents import math_dates_units as calculator_intents
from fcgraph.tools.builtin import math_dates_units as calculator
from fcgraph.tools.discovery import tool_functions
from fcgraph.tools.registry import ToolRegistry


def close(value: float) -> object:
    return pytest.approx(value, rel=1e-9, abs=1e-9)


# ---------------------------------------------------------------- arithmetic
@pytest.mark.parametrize("expression", ["(1250 * 1.08 - 200) / 12", "2**100 + 7 // 2", "-(3 - 10) % 4", "1e3 / 8"])
def test_evaluate_agrees_with_python_arithmetic(tool_sandbox, expression):
    result = tool_sandbox.ok("math_evaluate", expression=expression)
    expected = eval(expression)  # the test's own literal expressions
    assert result["result"] == (expected if isinstance(expected, int) else close(expected))


def test_evaluate_functions_constants_and_float_noise(tool_sandbox):
    assert tool_sandbox.ok("math_evaluate", expression="sqrt(16) + max(2, 9) - abs(-1)")["result"] == 12
    assert tool_sandbox.ok("math_evaluate", expression="sin(pi / 2) * log10(1000)")["result"] == close(3)
    assert tool_sandbox.ok("math_evaluate", expression="0.1 + 0.2")["result"] == 0.3


@pytest.mark.parametrize(("expression", "message"), [
    ("__import__('os').system('true')", "unsupported"), ("open('x')", "unsupported"), ("(1).__class__", "unsupported"),
    ("2 ^ 10", "'**'"), ("1 / 0", "division by zero"), ("9 ** 9 ** 9", "digits"), ("sqrt(-1)", "cannot evaluate"),
    ("1 +", "not a valid"), ("", "characters long"),
])
def test_evaluate_refuses_what_is_not_arithmetic(tool_sandbox, expression, message):
    outcome = tool_sandbox.call("math_evaluate", expression=expression)
    assert not outcome.ok and outcome.error_kind == "tool" and message in outcome.error


@pytest.mark.parametrize(("a", "b", "c"), [(1, -3, 2), (2, 4, 2), (1, 2, 5), (-1, 0, 9), (0, 4, -2)])
def test_quadratic_roots_solve_their_equation(tool_sandbox, a, b, c):
    result = tool_sandbox.ok("math_solve_quadratic", a=a, b=b, c=c)
    for root in result["roots"]:
        x = complex(root["real"], root["imaginary"]) if isinstance(root, dict) else root
        assert abs(a * x * x + b * x + c) < 1e-9
    assert len(result["roots"]) == (1 if a == 0 or b * b == 4 * a * c else 2)


def test_gcd_lcm_prime_factors_and_primality(tool_sandbox):
    numbers = [84, 126, 210]
    result = tool_sandbox.ok("math_gcd_lcm", numbers=numbers)
    assert result["gcd"] == reduce(gcd_of, numbers)
    assert result["lcm"] == reduce(lambda x, y: x * y // gcd_of(x, y), numbers)
    factors = tool_sandbox.ok("math_prime_factors", n=2 ** 5 * 3 * 7 ** 2 * 1009)
    assert math.prod(factors["factors"]) == 2 ** 5 * 3 * 7 ** 2 * 1009 and factors["factorization"] == "2^5 × 3 × 7^2 × 1009"
    sieve = [n for n in range(2, 200) if all(n % d for d in range(2, int(n ** 0.5) + 1))]
    for n in (1, 2, 91, 97, 199, 561):
        assert tool_sandbox.ok("math_is_prime", n=n)["is_prime"] == (n in sieve)
    assert tool_sandbox.ok("math_is_prime", n=97)["next_prime"] == 101
    assert tool_sandbox.ok("math_is_prime", n=2 ** 61 - 1)["is_prime"]  # a Mersenne prime


def gcd_of(x: int, y: int) -> int:
    while y:
        x, y = y, x % y
    return x


def test_sequences_and_counting(tool_sandbox):
    fib = [0, 1]
    while len(fib) <= 90:
        fib.append(fib[-1] + fib[-2])
    assert tool_sandbox.ok("math_fibonacci", n=90)["value"] == fib[90]
    assert tool_sandbox.ok("math_fibonacci", n=0)["value"] == 0
    assert tool_sandbox.ok("math_factorial", n=25)["value"] == factorial(25)
    assert tool_sandbox.ok("math_combinations", n=20, k=6)["value"] == factorial(20) // (factorial(6) * factorial(14))
    assert tool_sandbox.ok("math_combinations", n=20, k=6, order_matters=True)["value"] == factorial(20) // factorial(14)


def factorial(n: int) -> int:
    return reduce(lambda x, y: x * y, range(1, n + 1), 1)


def test_percent_change_and_rounding(tool_sandbox):
    change = tool_sandbox.ok("math_percent_change", old_value=80, new_value=62)
    assert change["change"] == -18 and change["percent_change"] == close(-22.5)
    assert tool_sandbox.ok("math_round_significant", value=123456, digits=3)["rounded"] == 123000
    assert tool_sandbox.ok("math_round_significant", value=0.00123456, digits=2)["rounded"] == 0.0012
    assert tool_sandbox.ok("math_round_significant", value=-98.765, digits=4)["rounded"] == -98.77


def test_compound_interest_and_loan_payment(tool_sandbox):
    grown = tool_sandbox.ok("math_compound_interest", principal=10000, annual_rate_pct=6, years=5, compounds_per_year=4)
    assert grown["final_amount"] == round(10000 * 1.015 ** 20, 2)
    assert grown["effective_annual_rate_pct"] == close((1.015 ** 4 - 1) * 100)
    loan = tool_sandbox.ok("math_loan_payment", principal=20000, annual_rate_pct=6, years=3)
    balance = 20000.0
    for _ in range(loan["payments"]):
        balance = balance * 1.005 - loan["payment"]
    assert loan["payments"] == 36 and abs(balance) < 0.5  # one cent of rounding per payment at most
    assert loan["total_interest"] == round(loan["payment"] * 36 - 20000, 2)
    assert tool_sandbox.ok("math_loan_payment", principal=1200, annual_rate_pct=0, years=1)["payment"] == 100


def test_npv_and_irr(tool_sandbox):
    flows = [-10000, 3000, 4200, 6800]
    npv = tool_sandbox.ok("math_npv", rate_pct=8, cash_flows=flows)
    assert npv["npv"] == round(sum(f / 1.08 ** t for t, f in enumerate(flows)), 2)
    irr = tool_sandbox.ok("math_irr", cash_flows=flows)["irr_pct"] / 100
    assert abs(sum(f / (1 + irr) ** t for t, f in enumerate(flows))) < 0.01
    assert tool_sandbox.call("math_irr", cash_flows=[100, 200]).error_kind == "tool"


@pytest.mark.parametrize(("value", "source", "target"), [("ff", 16, 2), ("0b101101", 2, 10), ("-777", 8, 16), ("zz", 36, 10)])
def test_base_conversion(tool_sandbox, value, source, target):
    result = tool_sandbox.ok("math_convert_base", value=value, from_base=source, to_base=target)
    number = int(value, source) if not value.startswith("0b") else int(value, 0)
    assert result["decimal"] == number and int(result["result"], target) == number


def test_roman_numerals_both_ways(tool_sandbox):
    assert tool_sandbox.ok("math_to_roman", number=1994)["roman"] == "MCMXCIV"
    assert tool_sandbox.ok("math_from_roman", numeral="mmxxiv")["number"] == 2024
    for bad in ("IIII", "IC", "MMMM", "ABC"):
        assert tool_sandbox.call("math_from_roman", numeral=bad).error_kind == "tool"
    for number in range(1, 4000):  # every numeral reads back as its number (in-process: 4000 calls)
        assert calculator.math_from_roman(calculator.math_to_roman(number)["roman"])["number"] == number


# ---------------------------------------------------------------- dates
def test_date_difference_and_addition(tool_sandbox):
    difference = tool_sandbox.ok("date_difference", start_date="2024-01-15", end_date="2024-06-30")
    assert difference["days"] == (date(2024, 6, 30) - date(2024, 1, 15)).days
    assert difference["calendar"] == {"years": 0, "months": 5, "days": 15}
    assert tool_sandbox.ok("date_difference", start_date="2024-06-30", end_date="2024-01-15")["days"] == -167
    assert tool_sandbox.ok("date_add", start_date="2024-01-31", months=1)["date"] == "2024-02-29"
    assert tool_sandbox.ok("date_add", start_date="2023-03-31", months=-1)["date"] == "2023-02-28"
    moved = tool_sandbox.ok("date_add", start_date="2024-06-28", days=10, weeks=1, years=1)
    assert moved["date"] == (date(2025, 6, 28) + timedelta(days=17)).isoformat()


def test_business_days_count_weekdays_one_by_one(tool_sandbox):
    start, end, holidays = date(2024, 6, 14), date(2024, 7, 9), ["2024-07-04", "2024-06-19", "2024-07-06"]
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    expected = [d for d in days if d.weekday() < 5 and d.isoformat() not in holidays]
    result = tool_sandbox.ok("date_business_days", start_date=start.isoformat(), end_date=end.isoformat(), holidays=holidays)
    assert result["business_days"] == len(expected) and result["holidays_excluded"] == ["2024-06-19", "2024-07-04"]
    assert tool_sandbox.call("date_business_days", start_date="2024-07-09", end_date="2024-07-01").error_kind == "tool"


def test_weekday_iso_week_and_period_end(tool_sandbox):
    weekday = tool_sandbox.ok("date_weekday", date="2024-07-04")
    assert weekday["weekday"] == calendar.day_name[date(2024, 7, 4).weekday()] and not weekday["is_weekend"]
    week = tool_sandbox.ok("date_iso_week", date="2024-12-30")
    assert (week["iso_year"], week["week"], week["week_start"]) == (2025, 1, "2024-12-30")
    for period, end in (("week", "2024-05-19"), ("month", "2024-05-31"), ("quarter", "2024-06-30"), ("year", "2024-12-31")):
        result = tool_sandbox.ok("date_period_end", date="2024-05-14", period=period)
        assert result["period_end"] == end and result["days_remaining"] == (date.fromisoformat(end) - date(2024, 5, 14)).days


def test_parse_and_format_dates(tool_sandbox):
    assert tool_sandbox.ok("date_parse", text="30/06/2024", format="%d/%m/%Y")["iso"] == "2024-06-30"
    assert tool_sandbox.ok("date_parse", text="June 3, 2024 2:05 PM", format="%B %d, %Y %I:%M %p")["iso"] == \
        "2024-06-03T14:05:00"
    assert tool_sandbox.call("date_parse", text="2024-06-30", format="%d/%m/%Y").error_kind == "tool"
    formatted = tool_sandbox.ok("date_format", date="2024-06-30", format="%A %d %B %Y")
    assert formatted["formatted"] == date(2024, 6, 30).strftime("%A %d %B %Y") == "Sunday 30 June 2024"


def test_age_needs_a_reference_date(tool_sandbox):
    assert tool_sandbox.ok("date_age", birth_date="1988-02-29", reference_date="2024-02-28")["years"] == 35
    age = tool_sandbox.ok("date_age", birth_date="1990-08-15", reference_date="2024-06-30")
    assert (age["years"], age["months"], age["days"]) == (33, 10, 15)
    assert age["total_days"] == (date(2024, 6, 30) - date(1990, 8, 15)).days
    assert "reference_date" in inspect.signature(calculator.date_age).parameters
    assert inspect.signature(calculator.date_age).parameters["reference_date"].default is inspect.Parameter.empty


def test_time_zone_conversion_follows_daylight_saving(tool_sandbox):
    summer = tool_sandbox.ok("date_convert_timezone", local_time="2024-06-28T09:30", from_timezone="America/Denver",
                             to_timezone="Europe/Stockholm")
    assert summer["to"] == "2024-06-28T17:30:00+02:00" and summer["offset_hours"] == 8
    winter = tool_sandbox.ok("date_convert_timezone", local_time="2024-01-15T23:00", from_timezone="Asia/Tokyo",
                             to_timezone="UTC")
    expected = datetime(2024, 1, 15, 23, 0, tzinfo=ZoneInfo("Asia/Tokyo")).astimezone(ZoneInfo("UTC"))
    assert winter["to"] == expected.isoformat() == "2024-01-15T14:00:00+00:00"
    for bad in ({"from_timezone": "Mars/Olympus"}, {"local_time": "2024-06-28T09:30+02:00"}, {"local_time": "noon"}):
        arguments = {"local_time": "2024-06-28T09:30", "from_timezone": "UTC", "to_timezone": "UTC"} | bad
        assert tool_sandbox.call("date_convert_timezone", **arguments).error_kind == "tool"


def test_weekdays_in_a_month(tool_sandbox):
    result = tool_sandbox.ok("date_weekdays_in_month", year=2024, month=9, weekday="monday")
    expected = [date(2024, 9, week[0]).isoformat() for week in calendar.monthcalendar(2024, 9) if week[0]]
    assert result["dates"] == expected and result["count"] == 5


# ---------------------------------------------------------------- units
@pytest.mark.parametrize(("tool", "value", "source", "target", "expected"), [
    ("unit_length", 1, "mi", "km", 1.609344), ("unit_length", 12, "in", "ft", 1), ("unit_length", 1, "nmi", "m", 1852),
    ("unit_mass", 1, "lb", "g", 453.59237), ("unit_mass", 1, "st", "lb", 14), ("unit_mass", 16, "oz", "lb", 1),
    ("unit_temperature", 100, "C", "F", 212), ("unit_temperature", 0, "K", "C", -273.15), ("unit_temperature", -40, "F", "C", -40),
    ("unit_volume", 1, "us_gallon", "l", 3.785411784), ("unit_volume", 1, "imp_gallon", "imp_pint", 8),
    ("unit_volume", 1, "us_gallon", "cu_in", 231), ("unit_area", 1, "acre", "m2", 4046.8564224), ("unit_area", 1, "km2", "ha", 100),
    ("unit_area", 1, "mi2", "acre", 640), ("unit_speed", 1, "knot", "km/h", 1.852), ("unit_speed", 60, "mph", "ft/s", 88),
    ("unit_data_size", 1, "GiB", "MB", 1073.741824), ("unit_data_size", 1, "MiB", "KiB", 1024), ("unit_data_size", 100, "Mbit", "MB", 12.5),
    ("unit_duration", 90, "min", "h", 1.5), ("unit_duration", 2, "week", "day", 14), ("unit_duration", 1, "day", "ms", 86_400_000),
])
def test_unit_conversions_match_their_definitions(tool_sandbox, tool, value, source, target, expected):
    result = tool_sandbox.ok(tool, value=value, from_unit=source, to_unit=target)
    assert result["result"] == close(expected)
    back = tool_sandbox.ok(tool, value=result["result"], from_unit=target, to_unit=source)
    assert back["result"] == close(value)


def test_unit_mistakes_are_tool_errors(tool_sandbox):
    assert tool_sandbox.call("unit_length", value=1, from_unit="parsec", to_unit="km").error_kind == "tool"
    below = tool_sandbox.call("unit_temperature", value=-500, from_unit="F", to_unit="C")
    assert below.error_kind == "tool" and "absolute zero" in below.error


def test_currency_uses_the_given_rate(tool_sandbox):
    result = tool_sandbox.ok("unit_currency", amount=1250, rate=0.92, from_currency="usd", to_currency="EUR")
    assert result["converted"] == 1150 and (result["from_currency"], result["to_currency"]) == ("USD", "EUR")
    assert tool_sandbox.call("unit_currency", amount=5, rate=0, from_currency="USD", to_currency="EUR").error_kind == "tool"
    assert tool_sandbox.call("unit_currency", amount=5, rate=1.1, from_currency="dollars", to_currency="EUR").error_kind == "tool"


@pytest.mark.parametrize(("tool", "arguments"), [
    ("date_weekday", {"date": "2024-13-01"}), ("date_add", {"start_date": "June 3"}), ("math_factorial", {"n": -1}),
    ("math_prime_factors", {"n": 1}), ("math_gcd_lcm", {"numbers": [4]}), ("math_percent_change", {"old_value": 0, "new_value": 5}),
    ("math_convert_base", {"value": "19", "from_base": 8, "to_base": 2}), ("math_to_roman", {"number": 4000}),
    ("date_age", {"birth_date": "2030-01-01", "reference_date": "2024-01-01"}),
    ("date_weekdays_in_month", {"year": 2024, "month": 13, "weekday": "monday"}),
])
def test_bad_values_are_tool_errors(tool_sandbox, tool, arguments):
    outcome = tool_sandbox.call(tool, **arguments)
    assert not outcome.ok and outcome.error_kind == "tool", outcome


def test_every_tool_is_tested_and_described():
    names = assert_tested_and_described(calculator, "math_dates_units", __file__)
    assert len(names) >= 30 and all(name.split("_")[0] in ("math", "date", "unit") for name in names)
    assert ToolRegistry.load()["unit_speed"].parameters["properties"]["from_unit"]["enum"] == ["m/s", "km/h", "mph", "knot", "ft/s"]


# ---------------------------------------------------------------- the simulator's requests
def test_every_calculator_request_grounds_to_a_call_that_succeeds(tool_sandbox):
    done: set[str] = set()
    for intent in calculator_intents.INTENTS:
        assert intent.path_arg == "" and intent.kinds == ()
        calls = grounded_calls(intent, 0, fresh=True)
        assert len(calls) == len(VIEWS)  # grounds on every file
        for call in calls:
            if first_time(done, intent.tool, call):
                tool_sandbox.ok(intent.tool, **call)
    assert len(calculator_intents.INTENTS) >= len(tool_functions(calculator)) // 3
