"""A store for the public page's tests: the sample data plus what a month of reviews leaves behind, public
and internal side by side, each internal thing carrying a marker that must never reach the public page.

``seed(engine)`` adds to a store holding the sample data (last complete month Aban 1405): district 7's
notable actions of Aban 1405, one marked public and one not; a file of actions loaded with a rejected
row; a meeting with its decisions; a commitment with its owner. ``INTERNAL_MARKERS`` are the texts of
the internal things (and the names of the people who recorded them); ``PUBLIC_ACTION`` is what the
public page should show.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from sqlalchemy import Engine

from monitoring import calendar, store
from monitoring.message import Message
from monitoring.store.reviews import ActionInput
from monitoring.store.writes import BatchInfo

DISTRICT = 7
MONTH = (1405, 8)  # Aban 1405, the sample's last complete month
PUBLIC_TITLE = "تعریض بلوار شهید ستاری با برنامهٔ رسانه‌ای"
PUBLIC_DESCRIPTION = "بلوار در دو ماه تعریض شد و شهروندان در نشست‌های محله از آن پشتیبانی کردند."
PUBLIC_CATEGORY = "عمرانی"
PUBLIC_DAY = calendar.month_start(*MONTH) + dt.timedelta(days=11)  # 12 Aban 1405

INTERNAL_MARKERS: dict[str, str] = {
    "non-public action": "اقدام-درونی-نمایش‌داده‌نشود",
    "non-public action's description": "شرح-درونی-XQ17",
    "public action's feedback": "بازخورد-درونی-FB17",
    "public action's link": "https://internal.example/secret-link",
    "who entered the action": "editor.secret17",
    "commitment": "تعهد-درونی-CM17",
    "commitment's owner": "owner.secret17",
    "who recorded the commitment": "manager.secret17",
    "meeting's decisions": "تصمیم-جلسه-DM17",
    "meeting's attendees": "attendee.secret17",
    "rejected cell": "REJECTED-CELL-RJ17",
    "rejection's reason": "دلیل-رد-RR17",
    "rejection's reason in English": "rejection-reason-RR17",
    "loaded file's name": "secret-actions-file17.csv",
    "who loaded the file": "loader.secret17",
}


def seed(engine: Engine) -> None:
    """Add the month's public and internal review records to a store holding the sample data."""
    m = INTERNAL_MARKERS
    store.add_action(
        engine,
        ActionInput(
            district=DISTRICT,
            occurred_on=PUBLIC_DAY,
            category=PUBLIC_CATEGORY,
            title=PUBLIC_TITLE,
            description=PUBLIC_DESCRIPTION,
            news_items=4,
            social_posts=12,
            public_meetings=2,
            links=(m["public action's link"],),
            feedback=m["public action's feedback"],
            public=True,
        ),
        actor=m["who entered the action"],
    )
    store.add_action(
        engine,
        ActionInput(
            district=DISTRICT,
            occurred_on=PUBLIC_DAY + dt.timedelta(days=3),
            category="درونی",
            title=m["non-public action"],
            description=m["non-public action's description"],
            news_items=1,
            public=False,
        ),
        actor=m["who entered the action"],
    )
    store.write_action_batch(
        engine,
        [
            ActionInput(
                district=DISTRICT,
                occurred_on=PUBLIC_DAY + dt.timedelta(days=5),
                category="فرهنگی",
                title="جشنوارهٔ محله (از فایل، درونی)",
                public=False,
            )
        ],
        BatchInfo(
            source_name=m["loaded file's name"],
            sha256="0" * 64,
            rows_read=2,
            rows_rejected=1,
            loaded_by=m["who loaded the file"],
            kind="actions",
            lenient=True,
            rejections=(
                {
                    "sheet": "",
                    "row": 3,
                    "column": "title",
                    "value": m["rejected cell"],
                    "reason": Message(m["rejection's reason"], m["rejection's reason in English"]),
                },
            ),
        ),
    )
    meeting = store.add_meeting(
        engine,
        DISTRICT,
        PUBLIC_DAY,
        m["who recorded the commitment"],
        status="held",
        held_on=PUBLIC_DAY,
        attendees=m["meeting's attendees"],
        decisions=m["meeting's decisions"],
    )
    store.add_commitment(
        engine,
        DISTRICT,
        m["commitment"],
        PUBLIC_DAY,
        PUBLIC_DAY + dt.timedelta(days=30),
        m["who recorded the commitment"],
        owner=m["commitment's owner"],
        metric="news_published",
        meeting_id=meeting,
    )


def seeded_copy(sample_db_path: Path, folder: Path) -> Path:
    """A copy of the sample store in ``folder`` with :func:`seed` added; its path."""
    path = folder / "public.sqlite"
    shutil.copyfile(sample_db_path, path)
    engine = store.make_engine(f"sqlite:///{path}")
    try:
        store.ensure_ready(engine)
        seed(engine)
    finally:
        engine.dispose()
    return path
