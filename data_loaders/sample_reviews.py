"""A believable month of reviews for the demo store: notable actions, meetings and commitments.

``load_sample`` calls ``seed`` after the figures, so a fresh ``make run`` (or ``make run-public``) shows
the whole loop: the review pack opens with last meeting's commitments, the calendar has meetings held
(with attendees and decisions) and planned, the attention panel has an overdue commitment, and the
public page has each district's public actions beside its figures (never the internal ones).

Everything goes through the store's own writers (``store.add_action``, ``add_meeting``,
``add_commitment``, ``set_commitment_status``), so it is audited like a user's entry. Dates are counted
from the sample's ``today``: the months are the last three complete Jalali months (``M-2``, ``M-1``,
``M``) and the current one; commitments due inside ``M`` are past due by ``today``, whatever it is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine

from monitoring import calendar, store
from monitoring.store.reviews import ActionInput

EDITOR = "ویرایشگر نمونه"  # who "entered" the demo's records (shown in the pack and the audit log)


@dataclass(frozen=True)
class _Action:
    district: int
    back: int  # months before the last complete month (0: the last complete month)
    day: int  # day of that Jalali month
    category: str
    title: str
    description: str
    news: int | None = None
    posts: int | None = None
    meetings: int | None = None
    feedback: str | None = None
    public: bool = False
    days_ago: int | None = None  # counted back from today instead (this month's actions), when given


ACTIONS: tuple[_Action, ...] = (
    _Action(
        5,
        0,
        12,
        "عمرانی",
        "تعریض بلوار اشرفی اصفهانی با برنامهٔ رسانه‌ای",
        "پیش از آغاز کار، روابط عمومی منطقه با تابلوهای اطلاع‌رسانی، پیامک به ساکنان و گفت‌وگو با کسبهٔ "
        "بلوار، مسیرهای جایگزین و زمان‌بندی کار را اعلام کرد. تعریض در هفت هفته به پایان رسید.",
        news=7,
        posts=24,
        meetings=2,
        feedback="بیشتر ساکنانی که در نشست‌های محله شرکت کردند از طرح پشتیبانی کردند؛ کسبه خواستار جای پارک بیشتر شدند.",
        public=True,
    ),
    _Action(
        5,
        0,
        20,
        "هماهنگی",
        "هماهنگی با پلیس راهور برای ترافیک دوران تعریض",
        "سه جلسهٔ هماهنگی با پلیس راهور؛ نتیجه در گزارش درونی منطقه ثبت شد.",
        public=False,
    ),
    _Action(
        3,
        0,
        5,
        "محیط زیست",
        "پاکسازی محلهٔ داوودیه با مشارکت ساکنان",
        "در یک صبح جمعه، ساکنان محله و نیروهای خدمات شهری کوچه‌ها و پارک محله را پاکسازی کردند و "
        "سطل‌های تفکیک زباله در محله نصب شد.",
        news=3,
        posts=11,
        meetings=1,
        feedback="حدود ۱۵۰ نفر از ساکنان شرکت کردند و خواستار تکرار ماهانهٔ آن شدند.",
        public=True,
    ),
    _Action(
        3,
        1,
        18,
        "رسانه",
        "نشست توجیهی با خبرنگاران محلی",
        "معرفی برنامه‌های فصل به خبرنگاران نشریات محلی؛ فهرست خبرنگاران در روابط عمومی نگهداری می‌شود.",
        news=2,
        public=False,
    ),
    _Action(
        12,
        0,
        9,
        "مشارکت شهروندی",
        "نشست عمومی دربارهٔ بازسازی پارک شهر",
        "طرح بازسازی پارک در نشستی عمومی در فرهنگسرای منطقه به شهروندان معرفی شد و پیشنهادهای "
        "آنان برای زمین بازی کودکان و مسیر پیاده‌روی گردآوری شد.",
        news=4,
        posts=9,
        meetings=1,
        feedback="۸۶ پیشنهاد مکتوب از شهروندان دریافت شد.",
        public=True,
    ),
    _Action(
        18,
        1,
        14,
        "فرهنگی",
        "جشنوارهٔ کتاب‌خوانی کودکان در بوستان ولایت",
        "سه روز برنامهٔ قصه‌گویی و کتاب‌خوانی برای کودکان محله‌ها با همکاری کتابخانه‌های منطقه.",
        news=5,
        posts=16,
        public=True,
    ),
    _Action(
        7,
        0,
        3,
        "رسانه",
        "برنامهٔ رسانه‌ای فصل پاییز",
        "پیش‌نویس برنامهٔ رسانه‌ای سه ماه آینده برای بررسی در جلسهٔ مرور ستاد.",
        public=False,
    ),
    _Action(
        10,
        0,
        17,
        "محیط زیست",
        "کاشت هزار نهال در حاشیهٔ بزرگراه نواب",
        "با مشارکت دانش‌آموزان مدرسه‌های منطقه هزار نهال کاشته شد.",
        news=3,
        posts=8,
        public=True,
    ),
    _Action(
        20,
        2,
        22,
        "اجتماعی",
        "بازگشایی خانهٔ محلهٔ دولت‌آباد پس از نوسازی",
        "خانهٔ محله با کلاس‌های آموزشی رایگان برای ساکنان دوباره گشوده شد.",
        news=2,
        posts=6,
        meetings=1,
        public=True,
    ),
    _Action(
        7,
        0,
        0,
        "مشارکت شهروندی",
        "نشست پرسش و پاسخ مدیر منطقه با ساکنان محلهٔ ستارخان",
        "مدیر منطقه در مسجد محله به پرسش‌های ساکنان دربارهٔ پارک محله و پیاده‌روها پاسخ داد.",
        news=2,
        posts=5,
        meetings=1,
        public=True,
        days_ago=2,
    ),
    _Action(
        5,
        0,
        0,
        "رسانه",
        "گزارش تصویری پایان کار بلوار برای شبکه‌های اجتماعی",
        "پیش‌نویس گزارش تصویری؛ پس از تأیید معاونت منتشر می‌شود.",
        public=False,
        days_ago=4,
    ),
)


def _day(today: dt.date, back: int, day: int) -> dt.date:
    """Day ``day`` of the Jalali month ``back`` months before the last complete month of ``today``."""
    year, month = calendar.add_months(*calendar.last_complete_month(today), -back)
    return calendar.month_start(year, month) + dt.timedelta(days=day - 1)


def seed(engine: Engine, today: dt.date | None = None, actor: str = EDITOR) -> None:
    """Add the demo's actions, meetings (held and planned) and commitments (open, done, dropped and one
    past due) to a store holding the sample figures, for the districts the store has."""
    today = today or calendar.today_in_tehran()
    if store.actions(engine) or store.meetings_of(engine) or store.commitments_of(engine):
        return  # reviews are recorded already (the sample's, or real ones): loading the sample again adds none
    known = set(int(d) for d in store.reference_districts(engine)["district"])
    metrics = set(store.metric_catalog(engine))

    def metric(code: str) -> str | None:
        return code if code in metrics else None

    for a in ACTIONS:
        if a.district not in known:
            continue
        store.add_action(
            engine,
            ActionInput(
                district=a.district,
                occurred_on=today - dt.timedelta(days=a.days_ago)
                if a.days_ago is not None
                else _day(today, a.back, a.day),
                category=a.category,
                title=a.title,
                description=a.description,
                news_items=a.news,
                social_posts=a.posts,
                public_meetings=a.meetings,
                feedback=a.feedback,
                public=a.public,
            ),
            actor,
        )

    attendees = "معاون ارتباطات ستاد؛ مدیر روابط عمومی منطقه؛ کارشناس پایش"

    def held(district: int, back: int, day: int, decisions: str) -> int | None:
        if district not in known:
            return None
        on = _day(today, back, day)
        return store.add_meeting(
            engine, district, on, actor, status="held", held_on=on, attendees=attendees, decisions=decisions
        )

    def commit(
        district: int, meeting: int | None, made: dt.date, due: dt.date, text: str, owner: str, code: str | None
    ) -> int | None:
        if district not in known:
            return None
        return store.add_commitment(
            engine,
            district,
            text,
            made,
            due,
            actor,
            owner=owner,
            metric=metric(code) if code else None,
            meeting_id=meeting,
        )

    # district 7: reviewed two months apart; one commitment done, one past due, one still open
    m7_first = held(7, 2, 10, "افزایش خبرهای محله‌ای؛ رسیدگی به درخواست‌های ملاقات معوق پیش از پایان ماه بعد.")
    done = commit(
        7,
        m7_first,
        _day(today, 2, 10),
        _day(today, 1, 25),
        "انتشار دست‌کم یک خبر محله‌ای در هفته",
        "مدیر روابط عمومی منطقه ۷",
        "news_published",
    )
    if done is not None:
        store.set_commitment_status(engine, done, "done", actor, "در ماه بعد ۱۸ خبر محله‌ای منتشر شد.")
    commit(  # past due: open, due inside the last complete month
        7,
        m7_first,
        _day(today, 2, 10),
        _day(today, 0, 20),
        "پاسخ به همهٔ درخواست‌های ملاقات مردمی معوق",
        "دفتر ارتباطات مردمی منطقه ۷",
        "meeting_requests_resolved_pct",
    )
    m7_second = held(7, 0, 8, "برنامهٔ رسانه‌ای پاییز تأیید شد؛ نشست عمومی پارک محله در ماه آینده برگزار شود.")
    commit(
        7,
        m7_second,
        _day(today, 0, 8),
        today + dt.timedelta(days=30),
        "برگزاری نشست عمومی دربارهٔ پارک محلهٔ ستارخان",
        "مدیر روابط عمومی منطقه ۷",
        "public_meetings",
    )

    # district 3: a commitment on the 137 line's response time still open, one dropped
    m3 = held(3, 1, 12, "کاهش زمان پاسخ سامانهٔ ۱۳۷؛ بروشور کاغذی کنار گذاشته شود.")
    commit(
        3,
        m3,
        _day(today, 1, 12),
        today + dt.timedelta(days=20),
        "کوتاه‌کردن زمان پاسخ سامانهٔ ۱۳۷ به کمتر از یک روز",
        "معاون خدمات شهری منطقه ۳",
        "response_time_137_hours",
    )
    dropped = commit(
        3, m3, _day(today, 1, 12), _day(today, 0, 15), "چاپ بروشور طرح‌های محله", "روابط عمومی منطقه ۳", None
    )
    if dropped is not None:
        store.set_commitment_status(engine, dropped, "dropped", actor, "به‌جای بروشور، اطلاع‌رسانی در شبکه‌های اجتماعی.")

    # district 12: done on time
    m12 = held(12, 1, 20, "صفحهٔ منطقه در شبکه‌های اجتماعی هر هفته به‌روز شود.")
    done12 = commit(
        12,
        m12,
        _day(today, 1, 20),
        _day(today, 0, 25),
        "به‌روزرسانی هفتگی صفحهٔ منطقه در شبکه‌های اجتماعی",
        "کارشناس رسانهٔ منطقه ۱۲",
        "social_posts",
    )
    if done12 is not None:
        store.set_commitment_status(engine, done12, "done", actor)

    # district 18: reviewed last month, its commitment open
    m18 = held(18, 0, 15, "گزارش ماهانه پیش از موعد به ستاد برسد.")
    commit(
        18,
        m18,
        _day(today, 0, 15),
        today + dt.timedelta(days=40),
        "ارسال گزارش ماهانه پیش از روز موعد",
        "مدیر روابط عمومی منطقه ۱۸",
        "reports_submitted",
    )

    # the monthly cycle: every other district reviewed in the last two months, on a working day of its
    # own, so that the attention panel flags the exceptions (district 20, its meeting cancelled, and 22)
    routine = "گزارش ماه بررسی شد؛ کارهای ماه آینده با برنامهٔ رسانه‌ای منطقه هماهنگ شود."
    reviewed = {7, 3, 12, 18, 20, 22}
    for n, district in enumerate(d for d in sorted(known) if d not in reviewed):
        held(district, n % 2, 4 + n, routine)

    # a meeting cancelled, and the next ones planned
    if 20 in known:
        store.add_meeting(engine, 20, _day(today, 1, 6), actor, status="cancelled")
    planned = [(d, today + dt.timedelta(days=days)) for d, days in ((7, 1), (5, 3), (10, 9), (20, 16)) if d in known]
    if planned:
        store.add_meetings(engine, planned, actor)
