"""The review pack's pieces for the screen (and print): the follow-up list, the meeting, the notable
actions, and the forms an editor or administrator records them with. Every text from the store is
escaped; every change goes through ``monitoring.store`` (which audits it) and names who made it."""

from __future__ import annotations

import datetime as dt
import logging

import pandas as pd
import streamlit as st

from monitoring import calendar, compliance, config, review_pack, reviews, store
from monitoring.calendar import Period
from monitoring.metrics import Metric
from monitoring.review_pack import FollowUp, Pack
from monitoring.reviews import Action
from ui import data, fmt, html, links, messages

logger = logging.getLogger(__name__)

CATEGORIES = ("عمرانی", "فرهنگی و اجتماعی", "خدمات شهری", "محیط زیست", "ترافیک و حمل‌ونقل", "رسانه و اطلاع‌رسانی")
STYLE = html.macro("review.html", "style")()  # the review pieces' own style, once a page (``st.html``)


def current_month(today: dt.date) -> Period:
    """The month whose meetings are being held now: the pack a follow-up line leads to."""
    return Period.month(*calendar.jalali_month_of(today))


def review_bounds(bounds: tuple[dt.date, dt.date], today: dt.date) -> tuple[dt.date, dt.date]:
    """The months the pack offers: from the first month with data to the month running today (a
    meeting is held while its month runs, before the month's figures are in)."""
    return bounds[0], max(bounds[1], calendar.month_start(*calendar.jalali_month_of(today)))


def day(d: dt.date | None) -> str:
    """«۱۲ مهر ۱۴۰۴»; «—» for none."""
    return "—" if d is None else compliance.day_label(d)


# ---------------------------------------------------------------- what the pack shows


def _macro(name: str):
    return html.macro("review.html", name)


def follow_up_html(items: list[FollowUp], catalog: dict[str, Metric], empty: str, history: bool = True) -> html.Markup:
    """The commitments, each with its state (late ones with their days), owner, due day, the metric
    it should move and whether it moved (like for like), and its last change (``history``: the pack's
    full telling; without it, the district page's short one)."""
    if not items:
        return _macro("empty")(empty)
    rows = []
    for f in items:
        c = f.commitment
        state_text = reviews.STATE_LABELS[f.state]
        if f.days_late:
            state_text += f" · {fmt.digits(f.days_late)} روز"
        meta = [f"موعد: {day(c.due_on)}", f"ثبت: {day(c.made_on)}"]
        if c.owner:
            meta.insert(0, f"مسئول: {c.owner}")
        metric = catalog.get(c.metric) if c.metric else None
        moved = tone = None
        if metric is not None and history:
            tone = {True: "good", False: "bad", None: ""}[f.movement.better if f.movement else None]
            moved = review_pack.movement_text(f.movement, metric)
        last = c.history[-1] if c.history else None
        said = None
        if history and last is not None:
            change = (
                f"{reviews.STATUS_LABELS.get(last.old_status or '', '')} ← {reviews.STATUS_LABELS[last.new_status]}"
                if last.old_status
                else "ثبت شد"
            )
            said = {
                "change": change,
                "at": calendar.format_datetime(last.at),
                "actor": fmt.user_name(last.actor),
                "note": f": {last.note}" if last.note else "",
            }
        rows.append(
            {
                "id": c.id,
                "state": f.state,
                "state_text": state_text,
                "text": c.text,
                "meta": " · ".join(meta),
                "moved": moved,
                "tone": tone,
                "said": said,
            }
        )
    return _macro("follow_up")(rows)


def meeting_html(pack: Pack) -> html.Markup:
    """This month's meeting (when, who attended, its decisions) and the one before it."""
    m = pack.meeting
    meeting = (
        None
        if m is None
        else {
            "status": reviews.MEETING_LABELS[m.status],
            "day": day(m.day),
            "attendees": m.attendees,
            "decisions": m.decisions,
        }
    )
    last = pack.last_meeting
    return _macro("meeting")(pack.period.label, meeting, None if last is None else day(last.day))


def actions_html(items: list[Action], empty: str) -> html.Markup:
    """Notable actions, newest first: date, category, title, description, coverage, links, feedback."""
    if not items:
        return _macro("empty")(empty)
    rows = []
    for a in items:
        coverage = [
            f"{fmt.num(n)} {label}"
            for n, label in ((a.news_items, "خبر"), (a.social_posts, "پست"), (a.public_meetings, "نشست مردمی"))
            if n is not None
        ]
        meta = [day(a.occurred_on), a.category, *coverage]
        if a.public:
            meta.append("در صفحهٔ عمومی")
        rows.append(
            {
                "id": a.id,
                "title": a.title,
                "meta": " · ".join(meta),
                "description": a.description,
                "feedback": a.feedback,
                "links": list(a.links),
            }
        )
    return _macro("actions")(rows)


def read_pack(district: int, period: Period) -> Pack:
    """The pack's meeting, commitments and actions, read fresh (records change without a new batch)."""
    return review_pack.read_pack(data.engine(), district, period, data.catalog(data.version()))


def public_preview_html(base: str | None, district: int, name: str, month: tuple[int, int]) -> html.Markup:
    """For signed-in staff: a link to the public site's page of ``district`` in ``month`` (a new tab, as a
    citizen sees it), or, with no public address set (``DASHBOARD_PUBLIC_URL``), a note saying so."""
    if base is None:
        return _macro("public_preview")(None, None)
    href = links.public_preview_href(base, district, month)
    return _macro("public_preview")(href, f"پیش‌نمایش صفحهٔ عمومی {name} در {calendar.month_label(*month)}")


def public_preview(user, district: int, name: str, month: tuple[int, int], container=None) -> None:
    """``public_preview_html`` for signed-in staff (or everyone in local development's open mode); nothing
    for an anonymous viewer."""
    if user.signed_in or user.is_admin:
        (container or st).html(public_preview_html(config.settings().public_site_url, district, name, month))


# ---------------------------------------------------------------- the forms

FLASH = "_review_flash"


def done(fa: str, en: str) -> None:
    """After a change: run the page again so it shows the change, with ``fa``/``en`` said at its top."""
    st.session_state[FLASH] = (fa, en)
    st.rerun()


def show_flash() -> None:
    """What the last change said, once (the top of a page with these forms)."""
    said = st.session_state.pop(FLASH, None)
    if said:
        messages.success(*said)


def _day_field(container, label: str, key: str, default: dt.date | None) -> str:
    shown = "" if default is None else calendar.to_persian_digits(_jalali(default))
    return container.text_input(label, value=shown, key=key, placeholder="۱۴۰۴/۰۸/۱۵")


def _jalali(d: dt.date) -> str:
    y, m = calendar.jalali_month_of(d)
    return f"{y}/{m:02d}/{(d - calendar.month_start(y, m)).days + 1:02d}"


def _read_day(text: str, what_fa: str, what_en: str) -> dt.date | None:
    """The day typed, or None after a bilingual message saying what to write."""
    try:
        return calendar.parse_day(text)
    except calendar.PeriodParseError as exc:
        messages.error(f"{what_fa}: {exc.fa}", f"{what_en}: {exc.en}")
        return None


def commitment_form(pack: Pack, catalog: dict[str, Metric], user: str) -> None:
    """Record a commitment (what, the metric it should move, owner, due Jalali day) for this meeting."""
    with st.form("review_commitment", clear_on_submit=True):
        st.markdown("**ثبت تعهد تازه**")
        text = st.text_area("تعهد", key="rc_text", placeholder="چه کاری، به چه اندازه")
        left, right = st.columns(2)
        owner = left.text_input("مسئول", key="rc_owner")
        due = _day_field(right, "موعد (روز شمسی)", "rc_due", None)
        codes = ["", *catalog]
        metric = st.selectbox(
            "شاخصی که باید تکان بخورد (اختیاری)",
            codes,
            format_func=lambda c: "بدون شاخص" if not c else catalog[c].name_fa,
            key="rc_metric",
        )
        sent = st.form_submit_button("ثبت تعهد", type="primary")
    if not sent:
        return
    if not text.strip():
        messages.error(
            "متن تعهد خالی است؛ بنویسید چه کاری انجام می‌شود.", "The commitment is empty; write what will be done."
        )
        return
    due_day = _read_day(due, "موعد تعهد", "the commitment's due day")
    if due_day is None:
        return
    made = pack.meeting.day if pack.meeting is not None and pack.meeting.status == "held" else pack.today
    if due_day < made:
        messages.error(
            f"موعد ({day(due_day)}) پیش از روز ثبت تعهد ({day(made)}) است؛ روزی پس از آن بنویسید.",
            "The due day is before the day the commitment is made; give a later day.",
        )
        return
    store.add_commitment(
        data.engine(),
        pack.district,
        text,
        made,
        due_day,
        user,
        owner=owner,
        metric=metric or None,
        meeting_id=pack.meeting.id if pack.meeting is not None else None,
    )
    done("تعهد ثبت شد.", "The commitment was recorded.")


def status_form(pack: Pack, user: str) -> None:
    """Change a commitment's status (open, done, dropped) with a note; the change is dated and signed."""
    items = {f.commitment.id: f for f in pack.follow_up + pack.made_here}
    if not items:
        return
    with st.form("review_status", clear_on_submit=True):
        st.markdown("**تغییر وضعیت تعهد**")
        chosen = st.selectbox(
            "تعهد",
            list(items),
            format_func=lambda i: f"{items[i].commitment.text[:80]} ({reviews.STATE_LABELS[items[i].state]})",
            key="rs_id",
        )
        status = st.radio(
            "وضعیت تازه",
            reviews.COMMITMENT_STATUSES,
            format_func=reviews.STATUS_LABELS.get,
            horizontal=True,
            key="rs_status",
        )
        note = st.text_input("یادداشت (چرا، چه شد)", key="rs_note")
        sent = st.form_submit_button("ثبت تغییر", type="primary")
    if sent and chosen is not None:
        store.set_commitment_status(data.engine(), int(chosen), str(status), user, note)
        done("وضعیت تعهد ثبت شد.", "The commitment's status was recorded.")


def meeting_form(pack: Pack, user: str) -> None:
    """Plan this month's meeting, or record it as held (day, attendees, decisions) or cancelled."""
    m = pack.meeting
    with st.form("review_meeting", clear_on_submit=False):
        st.markdown("**جلسهٔ این ماه**" if m is not None else "**برنامه‌ریزی یا ثبت جلسهٔ این ماه**")
        status = st.radio(
            "وضعیت",
            reviews.MEETING_STATUSES,
            index=reviews.MEETING_STATUSES.index(m.status) if m is not None else 0,
            format_func=reviews.MEETING_LABELS.get,
            horizontal=True,
            key="rm_status",
        )
        left, right = st.columns(2)
        planned = _day_field(
            left, "روز برنامه (شمسی)", "rm_planned", m.planned_on if m is not None else pack.period.start
        )
        held = _day_field(right, "روز برگزاری (شمسی)", "rm_held", m.held_on if m is not None else None)
        attendees = st.text_input("حاضران", value=m.attendees if m is not None else "", key="rm_attendees")
        decisions = st.text_area("تصمیم‌های صورت‌جلسه", value=m.decisions if m is not None else "", key="rm_decisions")
        sent = st.form_submit_button("ثبت جلسه", type="primary")
    if not sent:
        return
    planned_day = _read_day(planned, "روز برنامهٔ جلسه", "the meeting's planned day")
    if planned_day is None:
        return
    held_day = None
    if status == "held":
        held_day = _read_day(held or planned, "روز برگزاری جلسه", "the day the meeting was held")
        if held_day is None:
            return
        if held_day > pack.today:
            messages.error(
                "روز برگزاری هنوز نرسیده است؛ جلسه‌ای را «برگزارشده» ثبت کنید که برگزار شده، یا آن را برنامه‌ریزی کنید.",
                "The day held has not come yet; record a meeting as held once it has been, or plan it.",
            )
            return
    if m is None:
        store.add_meeting(
            data.engine(),
            pack.district,
            planned_day,
            user,
            status=str(status),
            held_on=held_day,
            attendees=attendees,
            decisions=decisions,
        )
    else:
        store.update_meeting(
            data.engine(),
            m.id,
            user,
            planned_on=planned_day,
            held_on=held_day,
            status=str(status),
            attendees=attendees.strip(),
            decisions=decisions.strip(),
        )
    done("جلسه ثبت شد.", "The meeting was recorded.")


def action_form(district: int, user: str, today: dt.date, key: str = "review_action") -> None:
    """Record a notable action of ``district``: date, category, title, description, its coverage
    (news items, social posts, public meetings), links, citizens' feedback, and whether it is public."""
    with st.form(key, clear_on_submit=True):
        st.markdown("**ثبت اقدام شاخص**")
        title = st.text_input("عنوان اقدام", key=f"{key}_title", max_chars=300)
        left, right = st.columns(2)
        when = _day_field(left, "تاریخ (شمسی)", f"{key}_day", today)
        category = right.selectbox("دسته", CATEGORIES, key=f"{key}_category", accept_new_options=True)
        description = st.text_area("شرح کوتاه", key=f"{key}_description")
        a, b, c = st.columns(3)
        # text read by reviews.parse_count, not st.number_input: Streamlit draws a number input's digits in Latin
        news_text = a.text_input("خبر", key=f"{key}_news", placeholder="نامعلوم")
        posts_text = b.text_input("پست فضای مجازی", key=f"{key}_posts", placeholder="نامعلوم")
        meetings_text = c.text_input("نشست مردمی", key=f"{key}_meetings", placeholder="نامعلوم")
        links = st.text_area("پیوندها (هر کدام با http:// یا https://)", key=f"{key}_links")
        feedback = st.text_input("بازخورد شهروندان (اگر می‌دانید)", key=f"{key}_feedback")
        public = st.checkbox("در صفحهٔ عمومی نشان داده شود", key=f"{key}_public")
        sent = st.form_submit_button("ثبت اقدام", type="primary")
    if not sent:
        return
    if not title.strip() or not (category or "").strip():
        messages.error("عنوان و دستهٔ اقدام را بنویسید.", "Write the action's title and category.")
        return
    occurred = _read_day(when, "تاریخ اقدام", "the action's date")
    if occurred is None:
        return
    if occurred > today:
        messages.error(
            "تاریخ اقدام هنوز نرسیده است؛ اقدامی را ثبت کنید که انجام شده.", "The action's date has not come yet."
        )
        return
    counts = [
        reviews.parse_count(news_text, "خبر", "news items"),
        reviews.parse_count(posts_text, "پست فضای مجازی", "social posts"),
        reviews.parse_count(meetings_text, "نشست مردمی", "public meetings"),
    ]
    problem = next((reason for _, reason in counts if reason is not None), None)
    if problem is not None:
        messages.error(problem)
        return
    news, posts, public_meetings = (value for value, _ in counts)
    parsed, reason = reviews.parse_links(links)
    if reason is not None:
        messages.error(f"پیوندها: {reason.fa}", f"links: {reason.en}")
        return
    item = store.ActionInput(
        district=district,
        occurred_on=occurred,
        category=str(category),
        title=title,
        description=description,
        news_items=news,
        social_posts=posts,
        public_meetings=public_meetings,
        links=parsed,
        feedback=feedback or None,
        public=bool(public),
    )
    store.add_action(data.engine(), item, user)
    done("اقدام ثبت شد.", "The action was recorded.")


def remove_action_form(items: list[Action], user: str, key: str = "review_remove") -> None:
    """Remove one of ``items`` (a notable action recorded by mistake, or withdrawn), after a confirmation;
    the removal is audited with who made it and the action's title."""
    if not items:
        return
    chosen_by_id = {a.id: a for a in items}
    with st.form(key, clear_on_submit=True):
        st.markdown("**برداشتن اقدام**")
        chosen = st.selectbox(
            "اقدام",
            list(chosen_by_id),
            format_func=lambda i: f"{chosen_by_id[i].title[:80]} ({day(chosen_by_id[i].occurred_on)})",
            key=f"{key}_id",
        )
        sure = st.checkbox("مطمئنم؛ این اقدام از بسته، صفحهٔ منطقه و صفحهٔ عمومی برداشته شود", key=f"{key}_sure")
        sent = st.form_submit_button("برداشتن اقدام", icon=":material/delete:")
    if not sent or chosen is None:
        return
    if not sure:
        messages.error(
            "برای برداشتن اقدام، گزینهٔ «مطمئنم» را بزنید.", "Tick the confirmation box to remove the action."
        )
        return
    try:
        store.delete_action(data.engine(), int(chosen), user)
    except store.ReviewNotFound:
        messages.error(
            "این اقدام پیش‌تر برداشته شده است.", "This action has already been removed (perhaps by someone else)."
        )
        return
    done("اقدام برداشته شد.", "The action was removed.")


def commitments_frame(items: list, names: dict[int, str], today: dt.date) -> pd.DataFrame:
    """Overdue commitments as a table: district, what, owner, due day, days late."""
    return pd.DataFrame(
        {
            "منطقه": [names.get(c.district, "") for c in items],
            "تعهد": [c.text for c in items],
            "مسئول": [c.owner or "—" for c in items],
            "موعد": [day(c.due_on) for c in items],
            "روز گذشته": [fmt.digits(reviews.days_late(c, today)) for c in items],
        }
    )


# ---------------------------------------------------------------- the calendar and what is overdue


def follow_up_state(names: dict[int, str], today: dt.date | None = None) -> tuple[list, list]:
    """(overdue commitments, districts with no review held in ``DASHBOARD_REVIEW_GAP_MONTHS`` months):
    two small reads, made fresh (a record made on the review page shows at once)."""
    today = today or calendar.today_in_tehran()
    engine = data.engine()
    overdue = reviews.overdue(store.commitments_of(engine, statuses=["open"]), today)
    gaps = reviews.unreviewed(store.last_reviews(engine), names, config.settings().review_gap_months, today)
    return overdue, gaps


def attention_boxes_html(overdue: list, gaps: list, names: dict[int, str], review_href, today: dt.date) -> html.Markup:
    """The attention panel's two review boxes: overdue commitments (longest overdue first) and the
    districts with no review held in N months (never reviewed first), each line a link to the pack."""
    top = 3
    lines = [
        (
            review_href(c.district),
            f"{names.get(c.district, '')}: {c.text[:80]} · {fmt.digits(reviews.days_late(c, today))} روز گذشته",
        )
        for c in overdue[:top]
    ]
    chips = [
        (review_href(g.district), f"{names.get(g.district, '')}: {'هرگز' if g.last is None else day(g.last)}")
        for g in gaps
    ]
    return _macro("attention_boxes")(
        lines, len(overdue), max(len(overdue) - top, 0), chips, config.settings().review_gap_months
    )


def district_follow_up_html(district: int, catalog: dict[str, Metric], today: dt.date) -> html.Markup:
    """The district page's share of the review: its overdue commitments and its last notable actions."""
    engine = data.engine()
    late = reviews.overdue(store.commitments_of(engine, district=district, statuses=["open"]), today)
    items = [FollowUp(c, "late", reviews.days_late(c, today), None) for c in late]
    recent = store.actions(engine, district=district)[:5]
    return _macro("district_follow_up")(
        follow_up_html(items, catalog, "تعهد عقب‌افتاده‌ای نیست.", history=False),
        actions_html(recent, "اقدام شاخصی ثبت نشده است."),
    )


def figures_frame(summary: pd.DataFrame, catalog: dict[str, Metric], period: Period) -> pd.DataFrame:
    """The district's figures, ranks and like-for-like changes (``monitoring.district.summary``'s rows)
    as the pack's table: value, rank, change against the month before and a year earlier."""
    before, year_ago = period.previous(), period.year_before()
    rows = []
    for s in summary.itertuples(index=False):
        m = catalog[s.metric]
        place = fmt.place_text(s, m)
        rows.append(
            {
                "شاخص": m.name_fa,
                "مقدار": fmt.value_text(m, s.value, int(s.decimals), s.measure),
                "رتبه": place,
                f"نسبت به {before.label}": fmt.change_chip(m, s.change_previous, before.label, short=True),
                f"نسبت به {year_ago.label}": fmt.change_chip(m, s.change_last_year, year_ago.label, short=True),
            }
        )
    return pd.DataFrame(rows)
