"""Persian formatting for the screen: numbers, labels and right-to-left tables."""

from __future__ import annotations

from monitoring import calendar
from monitoring.metrics import Metric
from monitoring.rankings import MEASURE_LABELS

num = calendar.format_number
digits = calendar.to_persian_digits


def measure_value_label(metric: Metric, measure: str) -> str:
    """«گزارش‌های ارسالی به مرکز (به ازای هر ۱۰٬۰۰۰ نفر)»."""
    if measure == "raw":
        return metric.name_fa
    return f"{metric.name_fa} ({MEASURE_LABELS[measure]})"


def measure_decimals(metric: Metric, measure: str) -> int:
    return metric.decimals if measure == "raw" else 2


def metric_delta(change: float | None, against: str) -> str | None:
    """``st.metric`` delta text: Streamlit reads the sign from a leading ASCII minus."""
    if change is None:
        return None
    return calendar.format_percent_change(change).replace("\u2212", "-") + f" نسبت به {against}"
