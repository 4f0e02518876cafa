"""A deliberately simple reference for the dashboard's public figures.

Plain Python loops over the store's rows, exact arithmetic (``fractions.Fraction``), and nothing taken
from ``monitoring``'s figure code: only ``Period`` (which months a period covers), jdatetime (when a
month ends) and ``Metric`` (a catalog entry) are borrowed. The tests hold every public figure against
these functions.

The data:

- a **row** is ``(metric, district, month_start, value)``: ``month_start`` is the Gregorian date of the
  first day of a Jalali month, ``value`` an exact ``Fraction``;
- a **district** is ``(district, population, area_km2)``; population or area may be None, zero or
  negative (then the district has no figure per resident or per km²);
- a **batch** is a list of rows; the store keeps, for each (metric, district, month), the value of the
  last batch that brought it (late months fill gaps, corrections replace).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from zoneinfo import ZoneInfo

import jdatetime

Row = tuple[str, int, dt.date, Fraction]
TEHRAN = ZoneInfo("Asia/Tehran")


@dataclass(frozen=True)
class District:
    district: int
    population: object = None
    area_km2: object = None


# ---------------------------------------------------------------- months


def jalali_start(year: int, month: int) -> dt.date:
    return jdatetime.date(year, month, 1).togregorian()


def starts_of(period) -> list[dt.date]:
    """The first days of the period's months, in order (month i of the period at place i)."""
    return [jalali_start(y, m) for y, m in period.months]


def end_of_month(start: dt.date) -> dt.date:
    """The first day of the next Jalali month."""
    j = jdatetime.date.fromgregorian(date=start)
    if j.month == 12:
        return jalali_start(j.year + 1, 1)
    return jalali_start(j.year, j.month + 1)


def months_due(period, today: dt.date) -> int:
    count = 0
    for start in starts_of(period):
        if end_of_month(start) <= today:
            count += 1
    return count


def latest(batches: list[list[Row]]) -> list[Row]:
    """What the store holds after the batches, in order: the last value of each key."""
    kept: dict[tuple[str, int, dt.date], Fraction] = {}
    for batch in batches:
        for metric, district, start, value in batch:
            kept[(metric, district, start)] = value
    return [(m, d, s, v) for (m, d, s), v in kept.items()]


# ---------------------------------------------------------------- a period's value


def aggregate(values: list[Fraction], aggregation: str) -> Fraction:
    total = Fraction(0)
    for v in values:
        total += v
    if aggregation == "mean":
        return total / len(values)
    return total


def months_reported(rows: list[Row], metric: str, district: int, period) -> list[Fraction]:
    starts = starts_of(period)
    found = []
    for start in starts:
        for m, d, s, v in rows:
            if m == metric and d == district and s == start:
                found.append(v)
    return found


def period_value(rows: list[Row], metric, district: int, period) -> tuple[Fraction, int] | None:
    """(value, months reported) of a district over a period; None when it reported no month."""
    found = months_reported(rows, metric.code, district, period)
    if not found:
        return None
    return aggregate(found, metric.aggregation), len(found)


def period_total(rows: list[Row], metric, district: int, period) -> tuple[Fraction, int] | None:
    """(sum of the months, months): what ``store.metric_district_values`` holds."""
    found = months_reported(rows, metric.code, district, period)
    if not found:
        return None
    return aggregate(found, "sum"), len(found)


# ---------------------------------------------------------------- measures, shown figures


def measure_of(metric, measure: str) -> str:
    if measure in ("per10k", "perkm2") and metric.per_capita:
        return measure
    return "raw"


def as_fraction(x) -> Fraction | None:
    if x is None:
        return None
    if isinstance(x, float) and x != x:
        return None
    return Fraction(str(x)) if isinstance(x, float) else Fraction(x)


def in_measure(value: Fraction, place: District, measure: str) -> Fraction | None:
    if measure == "raw":
        return value
    denominator = as_fraction(place.population if measure == "per10k" else place.area_km2)
    if denominator is None or denominator <= 0:
        return None
    if measure == "per10k":
        return value / denominator * 10000
    return value / denominator


def shown(x: Fraction, decimals: int) -> Fraction:
    """Rounded half away from zero to ``decimals``."""
    scale = Fraction(10) ** decimals
    scaled = abs(x) * scale
    whole = int(scaled)  # floor, as scaled >= 0
    if scaled - whole >= Fraction(1, 2):
        whole += 1
    out = Fraction(whole) / scale
    return -out if x < 0 else out


def median(values: list[Fraction]) -> Fraction | None:
    ordered = sorted(values)
    n = len(ordered)
    if n == 0:
        return None
    if n % 2 == 1:
        return ordered[n // 2]
    return (ordered[n // 2 - 1] + ordered[n // 2]) / 2


def readable_decimals(values: list[Fraction]) -> int:
    """Decimals that show the median of the non-zero values with 3 significant digits, 1 to 4."""
    sizes = [abs(v) for v in values if v != 0]
    if not sizes:
        return 1
    typical = median(sizes)
    exponent = 0
    while Fraction(10) ** exponent > typical:
        exponent -= 1
    while Fraction(10) ** (exponent + 1) <= typical:
        exponent += 1
    return min(4, max(1, 3 - 1 - exponent))


# ---------------------------------------------------------------- rankings


@dataclass
class Standing:
    district: int
    status: str  # ranked, shown, incomplete, no_denominator, not_reported
    raw: Fraction | None
    value: Fraction | None  # in the measure
    months: int
    complete: bool
    rank: int | None = None
    percentile: Fraction | None = None
    shown: Fraction | None = None


@dataclass
class Ranking:
    metric: object
    measure: str
    due: int
    decimals: int
    standings: dict[int, Standing]

    @property
    def ranked(self) -> list[Standing]:
        return [s for s in self.standings.values() if s.status == "ranked"]

    def median(self) -> Fraction | None:
        """The median beside a district's value: of the ranked districts (of the complete ones that
        are shown, for a neutral metric)."""
        return median([s.value for s in self.standings.values() if s.status in ("ranked", "shown")])


def rank_values(
    found: dict[int, tuple[Fraction, int]], places: list[District], metric, measure: str, due: int
) -> Ranking:
    """Rank the districts of ``places`` on ``found`` (district -> (value, months reported))."""
    chosen = measure_of(metric, measure)
    standings: dict[int, Standing] = {}
    for place in places:
        if place.district not in found:
            standings[place.district] = Standing(place.district, "not_reported", None, None, 0, False)
            continue
        raw, months = found[place.district]
        value = in_measure(raw, place, chosen)
        complete = due > 0 and months >= due
        if value is None:
            status = "no_denominator"
        elif not complete:
            status = "incomplete"
        elif metric.direction == "neutral":
            status = "shown"
        else:
            status = "ranked"
        standings[place.district] = Standing(place.district, status, raw, value, months, complete)
    if chosen == "raw":
        decimals = int(metric.decimals)
    else:
        decimals = readable_decimals([s.value for s in standings.values() if s.value is not None])
    for s in standings.values():
        if s.value is not None:
            s.shown = shown(s.value, decimals)
    ranked = [s for s in standings.values() if s.status == "ranked"]
    n = len(ranked)
    for s in ranked:
        better = 0
        equal = 0
        for other in ranked:
            if other.shown == s.shown:
                equal += 1
            elif (other.shown > s.shown) == (metric.direction != "lower"):
                better += 1
        s.rank = better + 1
        place = better + Fraction(equal + 1, 2)  # the mean of places better+1 .. better+equal
        s.percentile = Fraction(50) if n == 1 else 100 * (n - place) / (n - 1)
    return Ranking(metric, chosen, due, decimals, standings)


def ranking(rows: list[Row], places: list[District], metric, period, measure: str, today: dt.date) -> Ranking:
    found = {}
    for place in places:
        got = period_value(rows, metric, place.district, period)
        if got is not None:
            found[place.district] = got
    return rank_values(found, places, metric, measure, months_due(period, today))


def rank_change(previous: Ranking, current: Ranking, district: int) -> int | None:
    before = previous.standings[district].rank if district in previous.standings else None
    now = current.standings[district].rank
    if before is None or now is None:
        return None
    return before - now


# ---------------------------------------------------------------- like-for-like changes


@dataclass(frozen=True)
class Change:
    value: Fraction
    base: Fraction
    months: int
    change: Fraction | None


def relative(value: Fraction, base: Fraction) -> Fraction | None:
    if base == 0:
        return None
    return (value - base) / abs(base)


def pairs(rows: list[Row], metric: str, district: int, period, other) -> list[tuple[Fraction, Fraction]]:
    """(value in ``period``, value in ``other``) for each position both hold."""
    now_starts = starts_of(period)
    then_starts = starts_of(other)
    out = []
    for i in range(min(len(now_starts), len(then_starts))):
        now = [v for m, d, s, v in rows if m == metric and d == district and s == now_starts[i]]
        then = [v for m, d, s, v in rows if m == metric and d == district and s == then_starts[i]]
        if now and then:
            out.append((now[0], then[0]))
    return out


def district_change(rows: list[Row], metric, district: int, period, other) -> Change | None:
    both = pairs(rows, metric.code, district, period, other)
    if not both:
        return None
    value = aggregate([a for a, _ in both], metric.aggregation)
    base = aggregate([b for _, b in both], metric.aggregation)
    return Change(value, base, len(both), relative(value, base))


def city_change(rows: list[Row], metric, districts: list[int], period, other) -> Change | None:
    both = []
    for d in districts:
        both += pairs(rows, metric.code, d, period, other)
    if not both:
        return None
    value = aggregate([a for a, _ in both], metric.aggregation)
    base = aggregate([b for _, b in both], metric.aggregation)
    return Change(value, base, len(both), relative(value, base))


def city_value(rows: list[Row], metric, period) -> Fraction | None:
    """The city's figure: the sum of every district-month (a count), or their mean (a rate)."""
    starts = starts_of(period)
    found = [v for m, _d, s, v in rows if m == metric.code and s in starts]
    if not found:
        return None
    return aggregate(found, metric.aggregation)


# ---------------------------------------------------------------- composite index


@dataclass
class Indexed:
    district: int
    index: Fraction | None
    share: Fraction
    metrics: int
    reported: bool
    partial: bool
    rank: int | None = None


def composite(
    rankings: dict[str, Ranking], places: list[District], weights: dict[str, int], min_share=Fraction(1, 2)
) -> dict[int, Indexed]:
    """``rankings``: the period's ranking of each chosen metric (same measure and months due)."""
    chosen = {}
    for code, w in weights.items():
        if code in rankings and rankings[code].metric.direction != "neutral" and w > 0:
            chosen[code] = Fraction(w)
    total = sum(chosen.values(), Fraction(0))
    out: dict[int, Indexed] = {}
    for place in places:
        held = Fraction(0)
        weighted = Fraction(0)
        count = 0
        for code, w in chosen.items():
            s = rankings[code].standings[place.district]
            if s.status == "ranked":
                held += w
                weighted += w * s.percentile
                count += 1
        share = held / total if total else Fraction(0)
        reported = count > 0 and share >= min_share
        index = weighted / held if reported else None
        out[place.district] = Indexed(place.district, index, share, count, reported, reported and share < 1)
    indexed = [i for i in out.values() if i.reported]
    for i in indexed:
        mine = shown(i.index, 2)
        i.rank = 1 + sum(1 for other in indexed if shown(other.index, 2) > mine)
    return out


# ---------------------------------------------------------------- movers


def movers(
    rows: list[Row],
    catalog: dict,
    districts: list[int],
    period,
    min_base=Fraction(20),
    min_change=Fraction(1, 4),
) -> dict[tuple[str, int, str], Change]:
    """The district changes big enough to list: (metric, district, against) -> Change."""
    out = {}
    comparisons = [("previous", period.previous())]
    if period.year_before() != period.previous():
        comparisons.append(("year", period.year_before()))
    for which, other in comparisons:
        for code, metric in catalog.items():
            for d in districts:
                c = district_change(rows, metric, d, period, other)
                if c is None or c.change is None or c.base == 0:
                    continue
                if abs(c.change) < min_change:
                    continue
                if metric.aggregation == "sum" and abs(c.base) < min_base:
                    continue
                out[(code, d, which)] = c
    return out


# ---------------------------------------------------------------- reporting compliance


def due_date(start: dt.date, due_day: int = 5) -> dt.date:
    """A month's report is due by day ``due_day`` of the next Jalali month (every month has 29 days or more)."""
    return end_of_month(start) + dt.timedelta(days=due_day - 1)


@dataclass(frozen=True)
class MonthState:
    state: str  # on_time, late, partial, missing, not_due
    metrics: int
    days_late: int
    days_overdue: int


def month_state(
    batches: list[list[Row]], loaded: list[dt.datetime], district: int, start: dt.date, expected: int, today: dt.date
) -> MonthState:
    """A district-month's reporting state. The first batch that brought anything for it decides on time
    or late (by the end of the due day, Tehran time); the metrics are those the store holds now."""
    due = due_date(start)
    first = None
    for batch, moment in zip(batches, loaded, strict=True):
        if any(d == district and s == start for _m, d, s, _v in batch):
            if first is None or moment < first:
                first = moment
    held = {m for m, d, s, _v in latest(batches) if d == district and s == start}
    if first is None:
        if today > due:
            return MonthState("missing", 0, 0, (today - due).days)
        return MonthState("not_due", 0, 0, 0)
    came = first.astimezone(TEHRAN).date()
    days_late = (came - due).days if came > due else 0
    if len(held) < expected:
        return MonthState("partial", len(held), days_late, 0)
    return MonthState("late" if days_late else "on_time", len(held), days_late, 0)
