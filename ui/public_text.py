"""Every string of the public page, in Persian and in English: one table, one entry a string.

The public page (``views/public.py``) and its shell (``ui/public_site.py``) write no text of their own:
each asks :func:`text` for a key in the reader's language. ``tests/ui/test_public_text.py`` fails when a
key lacks either language, when a Persian string holds a Latin letter or an English one a Persian letter
(each language's text sits in an element marked with its own ``lang``), or when the two differ in the
``{placeholders}`` they fill.
"""

from __future__ import annotations

from typing import Literal

Lang = Literal["fa", "en"]
LANGS: tuple[Lang, ...] = ("fa", "en")
DEFAULT_LANG: Lang = "fa"
DIRECTION: dict[Lang, str] = {"fa": "rtl", "en": "ltr"}

STRINGS: dict[str, dict[Lang, str]] = {
    # the page
    "page_title": {"fa": "گزارش مناطق تهران به شهروندان", "en": "Tehran's districts: a report to citizens"},
    "title": {"fa": "مناطق تهران این ماه چه کردند", "en": "What Tehran's districts did this month"},
    "publisher": {
        "fa": "شهرداری تهران · مرکز ارتباطات و امور بین‌الملل",
        "en": "Tehran Municipality · Centre for Communications and International Affairs",
    },
    "intro": {
        "fa": "منطقهٔ خود و ماه را برگزینید تا ببینید منطقه در آن ماه چه گزارش داد و چه اقدام‌های شاخصی انجام داد. "
        "ارقام همان‌اند که منطقه به مرکز گزارش کرده است.",
        "en": "Choose your district and a month to see what the district reported that month and the notable "
        "actions it took. The figures are those the district reported to the Centre.",
    },
    # Streamlit's hidden link to the page's content, read first by a screen reader (ui/skiplink.py)
    "skip_to_content": {"fa": "پرش به محتوای اصلی", "en": "Skip to main content"},
    # the other language's name, written in that language (and marked with its lang)
    "switch_to": {"fa": "English", "en": "فارسی"},
    "switch_hint": {"fa": "این صفحه به انگلیسی", "en": "This page in Persian"},
    "district": {"fa": "منطقه", "en": "District"},
    "month": {"fa": "ماه", "en": "Month"},
    "choose": {"fa": "انتخاب کنید", "en": "Choose"},
    "heading": {"fa": "{district} در {month}", "en": "{district} in {month}"},
    "facts": {
        "fa": "{population} نفر جمعیت · {area} کیلومتر مربع",
        "en": "{population} residents · {area} km²",
    },
    "all_districts": {"fa": "همهٔ مناطق در {month}", "en": "All districts in {month}"},
    "all_districts_hint": {
        "fa": "مناطق به ترتیب شماره آمده‌اند. برای ارقام و اقدام‌های هر منطقه، نام آن را بزنید.",
        "en": "The districts are listed by their number. Choose a district's name for its figures and actions.",
    },
    # the figures
    "figures": {"fa": "ارقام ماه", "en": "The month's figures"},
    "no_public_figures": {
        "fa": "هنوز هیچ شاخصی برای نمایش عمومی برگزیده نشده است.",
        "en": "No figures have been chosen for the public page yet.",
    },
    "not_reported": {"fa": "گزارش نشده", "en": "Not reported"},
    "not_reported_hint": {
        "fa": "منطقه برای این ماه رقمی گزارش نکرده است؛ این به معنای صفر نیست.",
        "en": "The district sent no figure for this month; this does not mean zero.",
    },
    "out_of": {"fa": "از {n}", "en": "out of {n}"},  # a score's unit: «از ۲۰»
    "against": {"fa": "نسبت به {period}", "en": "against {period}"},
    "no_comparison": {"fa": "بی‌مقایسه با {period}", "en": "no comparison with {period}"},
    "better": {"fa": "بهتر", "en": "better"},
    "worse": {"fa": "بدتر", "en": "worse"},
    "unchanged": {"fa": "بدون تغییر", "en": "unchanged"},
    "changed": {"fa": "تغییر", "en": "changed"},
    "month_running": {
        "fa": "این ماه هنوز تمام نشده است؛ ارقام ممکن است کامل نباشند.",
        "en": "This month has not ended yet; the figures may be incomplete.",
    },
    "how_compared": {
        "fa": "تغییرها هم‌سنج‌اند: هر ماه با ماهی سنجیده می‌شود که منطقه در هر دو گزارش داده است.",
        "en": "Changes are like for like: a month is compared only where the district reported in both months.",
    },
    # the notable actions
    "actions": {"fa": "اقدام‌های شاخص", "en": "Notable actions"},
    "no_actions": {
        "fa": "برای این منطقه در این ماه اقدام شاخصی منتشر نشده است.",
        "en": "No notable action of this district has been published for this month.",
    },
    "in_persian": {
        "fa": "شرح اقدام‌ها همان است که منطقه به فارسی نوشته است.",
        "en": "The actions are described in Persian, as the district wrote them.",
    },
    "date": {"fa": "تاریخ", "en": "Date"},
    "category": {"fa": "دسته", "en": "Category"},
    "coverage": {"fa": "بازتاب", "en": "Coverage"},
    "news_items": {"fa": "{n} خبر", "en": "{n} news items"},
    "social_posts": {"fa": "{n} پست در شبکه‌های اجتماعی", "en": "{n} social media posts"},
    "public_meetings": {"fa": "{n} نشست مردمی", "en": "{n} public meetings"},
    "no_coverage": {"fa": "بازتابی ثبت نشده است", "en": "no coverage recorded"},
    # the foot of the page
    "data_as_of": {"fa": "داده‌ها تا {when}", "en": "Data as of {when}"},
    "source": {
        "fa": "منبع: گزارش‌های ماهانهٔ مناطق به مرکز ارتباطات و امور بین‌الملل شهرداری تهران. تاریخ‌ها به تقویم هجری شمسی‌اند.",
        "en": "Source: the districts' monthly reports to Tehran Municipality's Centre for Communications and "
        "International Affairs. Dates are in the Persian (Jalali) calendar.",
    },
    # what a reader may have typed wrong
    "no_data": {
        "fa": "هنوز گزارشی برای نمایش نیست؛ لطفاً بعداً سر بزنید.",
        "en": "There are no reports to show yet; please come back later.",
    },
    "bad_district": {
        "fa": "منطقهٔ نشانی («{asked}») در میان مناطق ۱ تا ۲۲ نیست؛ منطقه را از فهرست برگزینید.",
        "en": "The district in the address ('{asked}') is not one of districts 1 to 22; choose a district from the list.",
    },
    "bad_period": {
        "fa": "ماه نشانی («{asked}») خوانا نیست (نمونه: ۱۴۰۴-۰۷ برای مهر ۱۴۰۴)؛ {shown} نشان داده شد.",
        "en": "The month in the address ('{asked}') cannot be read (e.g. 1404-07 for Mehr 1404); showing {shown}.",
    },
    "period_outside": {
        "fa": "برای {asked} گزارشی نیست (گزارش‌ها از {first} تا {last})؛ نزدیک‌ترین ماه، {shown}، نشان داده شد.",
        "en": "There are no reports for {asked} (reports run from {first} to {last}); showing the nearest month, "
        "{shown}.",
    },
    "bad_lang": {
        "fa": "زبان نشانی («{asked}») شناخته نشد؛ صفحه به فارسی نشان داده شد. برای انگلیسی، پیوند بالای صفحه را بزنید.",
        "en": "The language in the address ('{asked}') is not known; the page is in Persian (lang=en for English).",
    },
    "not_found_title": {"fa": "این صفحه پیدا نشد", "en": "Page not found"},
    "not_found_body": {
        "fa": "نشانی‌ای که باز کردید در این تارنما نیست؛ شاید نشانی را اشتباه نوشته‌اید یا پیوند قدیمی است.",
        "en": "There is no page at the address you opened; it may be mistyped or the link out of date.",
    },
    "not_found_link": {"fa": "رفتن به گزارش مناطق", "en": "Go to the districts' report"},
    "fault": {
        "fa": "خطای پیش‌بینی‌نشده‌ای رخ داد و ثبت شد؛ لطفاً چند دقیقهٔ دیگر دوباره سر بزنید. کد پیگیری: {reference}",
        "en": "Something unexpected went wrong and was logged; please try again in a few minutes. "
        "Reference: {reference}",
    },
    "unavailable": {
        "fa": "گزارش‌ها اکنون در دسترس نیستند؛ این صفحه خودبه‌خود دوباره تلاش می‌کند. کد پیگیری: {reference}",
        "en": "The reports cannot be reached right now; this page tries again by itself. Reference: {reference}",
    },
}

# a metric's unit (the catalog holds it in Persian) as English text; a unit missing here is shown in
# Persian, in an element marked lang="fa" (ui/public.py)
UNITS_EN: dict[str, str] = {
    "٪": "%",
    "گزارش": "reports",
    "خبر": "news items",
    "مورد": "items",
    "محتوا": "posts",
    "ملاقات": "meetings",
    "درخواست": "requests",
    "پرونده": "cases",
    "ساعت": "hours",
    "رویداد": "events",
    "اقدام": "actions",
    "نظرسنجی": "polls",
    "امتیاز": "points",
    "نفر": "people",
    "روز": "days",
    "دقیقه": "minutes",
}


# the keys whose text is in the other language than the one they are filed under
OTHER_LANGUAGE = frozenset({"switch_to"})


def lang_of(asked: str | None) -> Lang | None:
    """The page's language from the address's ``lang``: fa when it is absent, None when it is unknown."""
    word = (asked or "").strip().lower()
    if not word:
        return DEFAULT_LANG
    return "en" if word == "en" else "fa" if word == "fa" else None


def text(key: str, lang: Lang, **values: object) -> str:
    """The string ``key`` in ``lang`` with its ``{placeholders}`` filled (the values are not escaped:
    the caller escapes the result for HTML)."""
    template = STRINGS[key][lang]
    return template.format(**values) if values else template
