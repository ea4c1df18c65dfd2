"""Requests for the calculator tools (math, dates, units), which take values rather than files.

A request borrows its values from the sampled file where it can (a date in its name or first lines,
an amount in its first rows), so the conversation stays about the user's material; otherwise it uses
plausible fixed values chosen with the random generator. No request names a file.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from random import Random
from typing import Any

from fcgraph.simulator.grounding import FileView, Intent
from fcgraph.simulator.intents.statistics import shown_table

ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
ZONES = ("UTC", "America/Denver", "America/New_York", "America/Los_Angeles", "Europe/Berlin", "Europe/Stockholm",
         "Europe/London", "Asia/Tokyo", "Australia/Sydney")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
LAYOUTS = ("%d/%m/%Y", "%m/%d/%Y", "%B %d, %Y", "%d %b %Y", "%d.%m.%Y")


def _shown_text(view: FileView) -> str:
    """Everything the user was shown of the file: its path, first lines, first rows or paragraphs."""
    parts = [view.path, *(view.info.get("head") or []), *(view.info.get("paragraphs") or [])]
    parts += [str(cell) for sheet in view.info.get("sheets") or [] for row in sheet.get("rows") or [] for cell in row]
    return "\n".join(map(str, parts))


def _dates(view: FileView) -> list[date]:
    found = set()
    for year, month, day in ISO_DATE.findall(_shown_text(view)):
        try:
            found.add(date(int(year), int(month), int(day)))
        except ValueError:
            continue
    return sorted(found)


def _a_date(view: FileView, rng: Random) -> date:
    return rng.choice(_dates(view) or [date(2024, rng.randint(1, 12), rng.randint(1, 28))])


def _two_dates(view: FileView, rng: Random) -> tuple[date, date]:
    dates = _dates(view)
    if len(dates) >= 2:
        return tuple(sorted(rng.sample(dates, 2)))  # type: ignore[return-value]
    start = _a_date(view, rng)
    return start, start + timedelta(days=rng.randint(10, 120))


def _amounts(view: FileView) -> list[float]:
    """Positive amounts in the file's shown table cells (not identifiers: those are text there)."""
    _, rows = shown_table(view)
    found = set()
    for row in rows:
        for cell in row:
            try:
                number = float(cell)
            except (TypeError, ValueError):
                continue
            if 0 < number < 1e7 and not isinstance(cell, bool):
                found.add(round(number, 2))
    return sorted(found)


def _amount(view: FileView, rng: Random, fallback: tuple[float, ...] = (250, 1200, 4800.5, 15000)) -> float:
    value = rng.choice(_amounts(view) or list(fallback))
    return int(value) if float(value).is_integer() else value


def _integer(view: FileView, rng: Random, low: int, high: int) -> int:
    """A whole amount from the file within [low, high], else a random one."""
    whole = [int(a) for a in _amounts(view) if float(a).is_integer() and low <= a <= high]
    return rng.choice(whole) if whole else rng.randint(low, high)


def _expression(view: FileView, rng: Random) -> dict[str, Any]:
    a, b = _amount(view, rng), _amount(view, rng)
    shape = rng.choice(["({a} + {b}) * {k}", "{a} * {k} - {b}", "({a} - {b}) / {k}", "{a} / ({b} + {k})"])
    return {"expression": shape.format(a=a, b=b, k=rng.choice([2, 3, 1.08, 12]))}


def _quadratic(view: FileView, rng: Random) -> dict[str, Any]:
    first, second = rng.randint(-9, 9), rng.randint(-9, 9)
    scale = rng.choice([1, 2, -1])
    if rng.random() < 0.3:  # now and then complex roots
        return {"a": scale, "b": 2 * scale, "c": scale * rng.randint(2, 10)}
    return {"a": scale, "b": -scale * (first + second), "c": scale * first * second}


def _cash_flows(view: FileView, rng: Random) -> list[float]:
    invest = _amount(view, rng, (10000, 25000, 50000))
    return [-invest, *(round(invest * share, 2) for share in rng.sample([0.2, 0.3, 0.35, 0.4, 0.45], 3))]


def _date_parse(view: FileView, rng: Random) -> dict[str, Any]:
    layout = rng.choice(LAYOUTS)
    return {"text": _a_date(view, rng).strftime(layout), "format": layout}


def _unit(units: tuple[str, ...], values: tuple[float, ...] = ()) -> Any:
    def ground(view: FileView, rng: Random) -> dict[str, Any]:
        source, target = rng.sample(units, 2)
        value = rng.choice(values) if values else _amount(view, rng, (1.5, 12, 42, 250))
        return {"value": value, "from_unit": source, "to_unit": target}

    return ground


def _iso(day: date) -> str:
    return day.isoformat()


INTENTS: tuple[Intent, ...] = (
    Intent("math_evaluate", "calculate {expression} for me", (), _expression, path_arg="", zh="帮我算一下 {expression}"),
    Intent("math_solve_quadratic", "solve the quadratic equation with coefficients a = {a}, b = {b} and c = {c}", (),
           _quadratic, path_arg="", zh="解系数为 a = {a}、b = {b}、c = {c} 的一元二次方程"),
    Intent("math_gcd_lcm", "find the greatest common divisor and least common multiple of {numbers}", (),
           lambda v, r: {"numbers": sorted({_integer(v, r, 2, 5000) for _ in range(3)} | {r.choice([12, 18, 24, 60])})},
           path_arg="", zh="求 {numbers} 的最大公约数和最小公倍数"),
    Intent("math_prime_factors", "break {n} down into its prime factors", (),
           lambda v, r: {"n": _integer(v, r, 2, 10**9)}, path_arg="", zh="把 {n} 分解质因数"),
    Intent("math_is_prime", "check whether {n} is a prime number", (),
           lambda v, r: {"n": _integer(v, r, 2, 10**9)}, path_arg="", zh="判断 {n} 是不是质数"),
    Intent("math_fibonacci", "compute Fibonacci number {n}", (), lambda v, r: {"n": r.randint(5, 90)}, path_arg="",
           zh="计算第 {n} 个斐波那契数"),
    Intent("math_factorial", "compute the factorial of {n}", (), lambda v, r: {"n": r.randint(3, 30)}, path_arg="",
           zh="计算 {n} 的阶乘"),
    Intent("math_combinations", "count the ways to choose {k} items out of {n} when order does not matter", (),
           lambda v, r: {"n": (n := r.randint(5, 40)), "k": r.randint(2, min(n, 6))}, path_arg="",
           fixed={"order_matters": False}, zh="计算不考虑顺序时从 {n} 个里选 {k} 个有多少种选法"),
    Intent("math_percent_change", "work out the percentage change from {old_value} to {new_value}", (),
           lambda v, r: {"old_value": _amount(v, r), "new_value": _amount(v, r)}, path_arg="",
           zh="算一下从 {old_value} 变到 {new_value} 的百分比变化"),
    Intent("math_compound_interest",
           "work out what {principal} grows to at {annual_rate_pct} percent a year over {years} years with monthly compounding",
           (), lambda v, r: {"principal": _amount(v, r), "annual_rate_pct": r.choice([2.5, 3.75, 4.5, 6]),
                             "years": r.choice([3, 5, 10])},
           path_arg="", fixed={"compounds_per_year": 12}, zh="算一下 {principal} 按年利率 {annual_rate_pct} % 按月复利 {years} 年后变成多少"),
    Intent("math_loan_payment",
           "calculate the monthly payment on a loan of {principal} at {annual_rate_pct} percent a year over {years} years",
           (), lambda v, r: {"principal": _amount(v, r, (15000, 45000, 250000)), "annual_rate_pct": r.choice([4.9, 6.5, 7.25]),
                             "years": r.choice([3, 5, 15, 30])},
           path_arg="", fixed={"payments_per_year": 12}, zh="计算一笔 {principal} 的贷款在年利率 {annual_rate_pct} % 、期限 {years} 年下的月供"),
    Intent("math_npv", "compute the net present value of the cash flows {cash_flows} at a discount rate of {rate_pct} percent",
           (), lambda v, r: {"cash_flows": _cash_flows(v, r), "rate_pct": r.choice([5, 8, 10, 12])}, path_arg="",
           zh="按 {rate_pct} % 的折现率计算现金流 {cash_flows} 的净现值"),
    Intent("math_irr", "find the internal rate of return of the cash flows {cash_flows}", (),
           lambda v, r: {"cash_flows": _cash_flows(v, r)}, path_arg="", zh="求现金流 {cash_flows} 的内部收益率"),
    Intent("math_round_significant", "round {value} to {digits} significant digits", (),
           lambda v, r: {"value": _amount(v, r, (1234.5678, 0.0045678, 98765.4321)), "digits": r.choice([2, 3, 4])},
           path_arg="", zh="把 {value} 保留 {digits} 位有效数字"),
    Intent("math_convert_base", "convert the number {value} from base {from_base} to base {to_base}", (),
           lambda v, r: {"value": str(_integer(v, r, 2, 100000)), "from_base": 10, "to_base": r.choice([2, 8, 16])},
           path_arg="", zh="把数字 {value} 从 {from_base} 进制转换成 {to_base} 进制"),
    Intent("math_to_roman", "write the year {number} in Roman numerals", (),
           lambda v, r: {"number": _a_date(v, r).year}, path_arg="", zh="用罗马数字写出年份 {number}"),
    Intent("math_from_roman", "tell me which number the Roman numeral {numeral} stands for", (),
           lambda v, r: {"numeral": r.choice(["XLII", "MCMXCIV", "MMXXIV", "CDXLIV", "LXXXVIII"])}, path_arg="",
           zh="告诉我罗马数字 {numeral} 代表哪个数"),
    Intent("date_difference", "count the days between {start_date} and {end_date}", (),
           lambda v, r: dict(zip(("start_date", "end_date"), map(_iso, _two_dates(v, r)))), path_arg="",
           zh="数一数 {start_date} 和 {end_date} 之间相差多少天"),
    Intent("date_add", "tell me which date falls {days} days after {start_date}", (),
           lambda v, r: {"start_date": _iso(_a_date(v, r)), "days": r.choice([14, 30, 45, 60, 90])}, path_arg="",
           zh="告诉我 {start_date} 之后 {days} 天是哪一天"),
    Intent("date_business_days", "count the business days from {start_date} to {end_date}", (),
           lambda v, r: dict(zip(("start_date", "end_date"), map(_iso, _two_dates(v, r)))), path_arg="",
           zh="统计从 {start_date} 到 {end_date} 有多少个工作日"),
    Intent("date_weekday", "tell me which day of the week {date} falls on", (),
           lambda v, r: {"date": _iso(_a_date(v, r))}, path_arg="", zh="告诉我 {date} 是星期几"),
    Intent("date_iso_week", "tell me the ISO week number of {date}", (),
           lambda v, r: {"date": _iso(_a_date(v, r))}, path_arg="", zh="告诉我 {date} 是 ISO 标准的第几周"),
    Intent("date_parse", "turn the date {text}, written as {format}, into ISO format", (), _date_parse, path_arg="",
           zh="把按 {format} 格式书写的日期 {text} 转换成 ISO 格式"),
    Intent("date_format", "write the date {date} in the layout {format}", (),
           lambda v, r: {"date": _iso(_a_date(v, r)), "format": r.choice(["%d %B %Y", "%A, %b %d", "%m/%d/%y", "%Y/%j"])},
           path_arg="", zh="把日期 {date} 按 {format} 的格式写出来"),
    Intent("date_period_end", "tell me how many days remain until the end of the {period} that contains {date}", (),
           lambda v, r: {"date": _iso(_a_date(v, r)), "period": r.choice(["week", "month", "quarter", "year"])},
           path_arg="", zh="告诉我 {date} 所在的 {period} 结束前还剩多少天"),
    Intent("date_age", "work out the age of someone born on {birth_date} as of {reference_date}", (),
           lambda v, r: {"birth_date": f"{r.randint(1960, 2002)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}",
                         "reference_date": _iso(_a_date(v, r))},
           path_arg="", zh="算一下 {birth_date} 出生的人到 {reference_date} 时多大"),
    Intent("date_convert_timezone", "convert {local_time} from {from_timezone} time to {to_timezone} time", (),
           lambda v, r: {"local_time": f"{_iso(_a_date(v, r))}T{r.choice(['08:00', '09:30', '14:15', '17:45'])}",
                         **dict(zip(("from_timezone", "to_timezone"), r.sample(ZONES, 2)))},
           path_arg="", zh="把 {from_timezone} 时间 {local_time} 换算成 {to_timezone} 时间"),
    Intent("date_weekdays_in_month", "list every {weekday} in month {month} of {year}", (),
           lambda v, r: {"weekday": r.choice(WEEKDAYS), "month": (d := _a_date(v, r)).month, "year": d.year},
           path_arg="", zh="列出 {year} 年 {month} 月里所有的 {weekday}"),
    Intent("unit_length", "convert the length {value} {from_unit} into {to_unit}", (),
           _unit(("mm", "cm", "m", "km", "in", "ft", "yd", "mi")), path_arg="", zh="把长度 {value} {from_unit} 换算成 {to_unit}"),
    Intent("unit_mass", "convert the weight {value} {from_unit} into {to_unit}", (),
           _unit(("g", "kg", "t", "oz", "lb", "st")), path_arg="", zh="把重量 {value} {from_unit} 换算成 {to_unit}"),
    Intent("unit_temperature", "convert the temperature {value} {from_unit} into {to_unit}", (),
           _unit(("C", "F", "K"), (-10, 0, 21.5, 37, 100)), path_arg="", zh="把温度 {value} {from_unit} 换算成 {to_unit}"),
    Intent("unit_volume", "convert the volume {value} {from_unit} into {to_unit}", (),
           _unit(("ml", "l", "m3", "us_gallon", "imp_gallon", "us_cup", "cu_ft")), path_arg="",
           zh="把体积 {value} {from_unit} 换算成 {to_unit}"),
    Intent("unit_area", "convert the area {value} {from_unit} into {to_unit}", (),
           _unit(("m2", "km2", "ha", "ft2", "acre")), path_arg="", zh="把面积 {value} {from_unit} 换算成 {to_unit}"),
    Intent("unit_speed", "convert the speed {value} {from_unit} into {to_unit}", (),
           _unit(("m/s", "km/h", "mph", "knot"), (5, 30, 65, 100, 120)), path_arg="", zh="把速度 {value} {from_unit} 换算成 {to_unit}"),
    Intent("unit_data_size", "convert the data size {value} {from_unit} into {to_unit}", (),
           _unit(("B", "KB", "MB", "GB", "KiB", "MiB", "GiB", "Mbit")), path_arg="",
           zh="把数据量 {value} {from_unit} 换算成 {to_unit}"),
    Intent("unit_duration", "convert the duration {value} {from_unit} into {to_unit}", (),
           _unit(("s", "min", "h", "day", "week")), path_arg="", zh="把时长 {value} {from_unit} 换算成 {to_unit}"),
    Intent("unit_currency", "convert {amount} {from_currency} to {to_currency} at an exchange rate of {rate}", (),
           lambda v, r: {"amount": _amount(v, r), **dict(zip(("from_currency", "to_currency"), r.sample(["USD", "EUR", "GBP", "SEK", "JPY"], 2))),
                         "rate": r.choice([0.92, 1.08, 10.45, 0.79, 151.2])},
           path_arg="", zh="按汇率 {rate} 把 {amount} {from_currency} 换算成 {to_currency}"),
)
