"""Persian formatting for the screen: numbers with their units, labels and change chips."""

from __future__ import annotations

from monitoring import calendar, figures, metrics, rankings
from monitoring.metrics import Metric
from monitoring.overview import change_tone
from monitoring.rankings import MEASURE_LABELS, NO_CHANGE, NOT_REPORTED, change_text
from ui import html

num = calendar.format_number
digits = calendar.to_persian_digits

_ARROWS = {"up": "↑", "down": "↓"}


def input_number(value: float | None) -> str:
    """A number as a text input shows it for editing: Persian digits, «٫» for the decimal point, no
    grouping and never an exponent («۱۰۰۰۰۰۰», not «1e+06»); empty for none. The loader's
    ``parse_number`` reads it back."""
    if value is None:
        return ""
    number = float(value)
    text = str(int(number)) if number.is_integer() else f"{number:.10f}".rstrip("0").rstrip(".")
    return digits(text.replace(".", "٫"))


def measure_value_label(metric: Metric, measure: str) -> str:
    """«گزارش‌های ارسالی به مرکز (به ازای هر ۱۰٬۰۰۰ نفر)»."""
    if measure == "raw":
        return metric.name_fa
    return f"{metric.name_fa} ({MEASURE_LABELS[measure]})"


def period_text(period, today=None) -> str:
    """The period's name, with «(دورهٔ جاری: ۲ از ۳ ماه)» while it is running (``figures.Coverage``)."""
    coverage = figures.Coverage.of(period, today or calendar.today_in_tehran())
    return period.label + (f" (دورهٔ جاری: {coverage.label})" if coverage.running else "")


def measure_decimals(metric: Metric, measure: str, values=None) -> int:
    """The decimals figures are printed (and compared) with: ``figures.display_decimals``."""
    return figures.display_decimals(metric, measure, values)


unit_text = metrics.unit_text


def value_text(
    metric: Metric, value, decimals: int, measure: str = "raw", missing: str = NOT_REPORTED, short: bool = False
) -> str:
    """A value with its unit, «۸۷٫۶٪» or «۳۴٫۴ ساعت»; ``missing`` when there is none. ``short`` leaves
    the measure («در هر ۱۰٬۰۰۰ نفر») to a column header that already says it."""
    text = calendar.format_figure(value, decimals, missing="")
    if not text:
        return missing
    unit = unit_text(metric, "raw" if short else measure)
    return f"{text}{unit}" if unit == "٪" else f"{text} {unit}"


def change_chip(metric: Metric, change: float | None, against: str, short: bool = False) -> html.Markup:
    """HTML chip for a relative change: the arrow follows the sign, the colour the metric's direction
    (green is good news, red bad news, grey for no change or a neutral metric); «—» with ``short`` and
    no change to show."""
    if change is None:
        return html.Markup("—") if short else html.macro("fmt.html", "no_comparison")(against)
    tone, arrow = change_tone(metric, change)
    meaning = {"good": "بهتر", "bad": "بدتر", "flat": "بدون تغییر", "neutral": "تغییر"}[tone]
    return html.macro("fmt.html", "change_chip")(
        tone, meaning, _ARROWS.get(arrow, ""), calendar.format_percent_change(change), None if short else against
    )


def move_chip(change) -> html.Markup:
    """A move in the ranking («↑۳», «↓۲», «بی‌تغییر», «—») as a chip coloured by its direction: up is
    green and down red whatever the metric (a rank already reads best first), no move grey; «—» (no
    move to compare) as plain text."""
    text = change_text(change)
    if text == NO_CHANGE:
        return html.Markup.escape(text)
    if int(change) == 0:
        return html.macro("fmt.html", "move_chip")("flat", None, text)
    tone, meaning = ("good", "بالاتر") if int(change) > 0 else ("bad", "پایین‌تر")
    return html.macro("fmt.html", "move_chip")(tone, meaning, text)


def user_name(name: str) -> str:
    """How a batch's loader is shown: the sample generator and an unnamed local user in Persian."""
    return {"system": "سامانه (دادهٔ نمونه)", "local": "کاربر محلی", "": "کاربر محلی"}.get(name, name)


def place_text(row, metric: Metric) -> str:
    """Where a district stands on a metric, as the rankings' profile and the review pack write it: «۴ از ۲۲»,
    or why it has no place (not reported, incomplete, no population, a neutral metric). ``row`` is a
    ranked row (``rankings.rank_districts`` / a district summary) with reported, status, rank, ranked."""
    if not row.reported:
        return rankings.NOT_REPORTED
    if row.status in ("incomplete", "no_denominator"):
        return rankings.standing_note(row._asdict())
    if metric.direction == "neutral":
        return rankings.NOT_RANKED
    return f"{digits(int(row.rank))} از {digits(row.ranked)}"
