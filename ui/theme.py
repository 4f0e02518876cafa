"""The Persian right-to-left look, applied once by dashboard.py.

Direction is set on the blocks that hold text (the main block and the sidebar's content), not on
the app's frame: with ``direction: rtl`` on the frame, Streamlit's closing sidebar slides the wrong
way and stays on screen as a column one letter wide over the page. The frame is laid out with
``row-reverse`` instead, so the sidebar sits on the right, and a closed sidebar is hidden outright.

Streamlit strings that have no setting (the file uploader's "Drag and drop", "Browse files",
"200MB per file", the file size in Latin digits) are hidden here and said in Persian by CSS
``content``, the least machinery that works; the page shows the chosen file's size itself.

Every piece of Streamlit's DOM is written here as a ``$name`` from ``ui/seam.py``'s registry (where
each names Streamlit 1.67 and what it replaces, and a browser canary checks it still matches); the
rest of this sheet aims only at the dashboard's own classes (``dash-*``), plain elements and the
documented ``st-key-<key>`` classes.
"""

from __future__ import annotations

import streamlit as st

from ui import html, seam

_CSS = """
/* the frame: sidebar on the right, text right to left inside the blocks */
$frame { flex-direction: row-reverse; }
$main, $sidebar_content {
  direction: rtl; text-align: right;
}
$sidebar { border-left: 1px solid #e4e8ea; }  /* on the left: theme.showSidebarBorder draws the right edge */
/* a closed sidebar leaves nothing on screen, on a desk and on a phone */
$sidebar_closed {
  visibility: hidden; overflow: hidden; transform: none !important; width: 0 !important; min-width: 0 !important;
  border: none;
}
$sidebar_closed * { visibility: hidden; }
$markdown, $caption, label, p, li, h1, h2, h3, h4 {
  text-align: right;
}
[lang="en"] { direction: ltr; unicode-bidi: isolate; }
.js-plotly-plot { direction: ltr; }
$sidebar_nav_link { flex-direction: row; }
$main_block { padding-top: 2.2rem; padding-bottom: 3rem; }
h1 { font-size: 1.75rem !important; padding-bottom: 0.25rem !important; }
/* a multiselect's chip: the × apart from its label (Streamlit spaces it on the left, the label's end in LTR) */
$multiselect_chip { gap: 0.45rem; }

/* bilingual notices: Persian first, the English in its own element below it */
.dash-note { border-radius: 0.5rem; padding: 0.65rem 0.9rem; margin: 0.2rem 0 0.6rem; line-height: 1.7;
  border: 1px solid transparent; }
.dash-note p { margin: 0; }
.dash-note .en { color: #4b575b; font-size: 0.85rem; margin-top: 0.15rem; text-align: left; }
.dash-note-info { background: #eef4fb; border-color: #cfe0f3; color: #1d3f63; }
.dash-note-success { background: #eaf5ee; border-color: #c5e4cf; color: #1f5130; }
.dash-note-warning { background: #fff6e5; border-color: #f2d9a6; color: #6b4500; }
.dash-note-error { background: #fdecec; border-color: #f3c4c4; color: #7a1d1d; }
.dash-note code { direction: ltr; unicode-bidi: isolate; }
.dash-note-list ul { margin: 0.1rem 0 0; padding-right: 1.1rem; font-size: 0.9rem; }
.dash-note-list li { margin: 0; line-height: 1.6; overflow-wrap: anywhere; }
.dash-note-list .en { font-size: 0.78rem; overflow-wrap: anywhere; }

.dash-asof { color: #5b6b70; font-size: 0.9rem; margin-bottom: 0.4rem; }
.dash-muted { color: #5b6b70; font-size: 0.85rem; }
.dash-file { overflow-wrap: anywhere; white-space: normal; }
.dash-hash details { display: inline-block; margin-right: 0.5rem; }
.dash-hash summary { cursor: pointer; }
.dash-hash code.full { display: block; overflow-wrap: anywhere; word-break: break-all; white-space: normal;
  user-select: all; }

/* what a load did or would do: new, changed, unchanged, rejected, blank */
.load-counts { display: grid; grid-template-columns: repeat(auto-fit, minmax(6.5rem, 1fr)); gap: 0.5rem;
  margin: 0.3rem 0 0.7rem; }
.load-count { border: 1px solid #dfe6e8; border-radius: 0.5rem; padding: 0.4rem 0.7rem; background: #fbfcfc; }
.load-count strong { font-size: 1.25rem; }
.load-changed { border-color: #f2d9a6; background: #fffaf0; }
.load-rejected { border-color: #f3c4c4; background: #fef6f6; }
.load-new { border-color: #c5e4cf; background: #f4faf6; }

/* the overview's «needs attention» panel: one box a kind, each line a link */
.dash-attention-panel { margin-bottom: 0.7rem; }
.dash-att-title { font-weight: 700; margin-bottom: 0.3rem; }
.dash-att-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(210px, 1fr)); gap: 0.5rem; }
.dash-att li.chip { display: inline-block; margin: 0 0 0.2rem 0.25rem; border-radius: 0.7rem; padding: 0 0.45rem; }
.dash-att li.chip.missing { background: #fde6e4; }
.dash-att li.chip.partial { background: #fff1d6; }
.dash-att { border: 1px solid #e4e8ea; border-radius: 0.5rem; padding: 0.35rem 0.6rem; background: #fff; min-width: 0; }
.dash-att.missing_report:not(.quiet) { border-color: #f2c4c4; background: #fff8f8; }
.dash-att.missed_target:not(.quiet), .dash-att.anomaly:not(.quiet) { border-color: #f2d9a6; background: #fffcf5; }
.dash-att h4 { font-size: 0.85rem !important; margin: 0 0 0.2rem !important; padding: 0 !important; }
.dash-att h4 .n { display: inline-block; min-width: 1.4rem; text-align: center; border-radius: 0.7rem;
  background: #eef0f2; font-size: 0.78rem; margin-right: 0.3rem; }
.dash-att ul { list-style: none; margin: 0; padding: 0; }
.dash-att li { font-size: 0.8rem; line-height: 1.55; margin: 0 0 0.15rem; overflow-wrap: anywhere; }
.dash-att li a { color: #1f2a2e; text-decoration: none; }
.dash-att li a:hover { text-decoration: underline; }
.dash-att li.none, .dash-att li.more { color: #6b7a80; }
.dash-dot { display: inline-block; width: 0.5rem; height: 0.5rem; border-radius: 50%; margin-left: 0.35rem; }
.dash-dot.bad { background: #c0392b; }
.dash-dot.good { background: #1e8449; }
.dash-dot.neutral { background: #7f8c8d; }

/* city cards: a condensed grid, titles wrap instead of being cut, units beside values */
.dash-cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(190px, 1fr)); gap: 0.5rem; }
.dash-card { border: 1px solid #e4e8ea; border-radius: 0.5rem; padding: 0.45rem 0.7rem; background: #fff;
  min-width: 0; }
.dash-card.mine, .dash-card.chosen { border-color: #0f6e6e; box-shadow: inset 0 0 0 1px #0f6e6e; }
.dash-card .t { font-size: 0.82rem; color: #374449; line-height: 1.45; overflow-wrap: anywhere; }
.dash-card .v { font-size: 1.3rem; font-weight: 700; line-height: 1.5; }
.dash-card .v .u { font-size: 0.8rem; font-weight: 400; color: #5b6b70; margin-right: 0.25rem; }
.dash-card .v.missing { font-size: 1rem; color: #8a5a00; }
.dash-card .d { font-size: 0.78rem; color: #5b6b70; line-height: 1.6; overflow-wrap: anywhere; }
.dash-card .d.mine { color: #8a4b0f; font-weight: 700; }
.chg { display: inline-block; border-radius: 0.7rem; padding: 0 0.4rem; font-size: 0.78rem; white-space: nowrap; }
.chg.good { background: #e3f3e8; color: #1b6b34; }
.chg.bad { background: #fde6e4; color: #a1261b; }
.chg.flat, .chg.neutral { background: #eef0f2; color: #46535a; }

/* the district page: its reporting record and the district links */
.dash-months { display: grid; grid-template-columns: repeat(auto-fill, minmax(5.6rem, 1fr)); gap: 0.3rem; margin: 0.3rem 0 0.8rem; }
.dash-month { border-radius: 0.4rem; padding: 0.2rem 0.4rem; font-size: 0.78rem; line-height: 1.5; border: 1px solid #e4e8ea; }
.dash-month .m { display: block; color: #374449; }
.dash-month .s { display: block; font-weight: 700; }
.dash-month.on_time { background: #eaf5ee; }
.dash-month.late { background: #fef3e2; }
.dash-month.partial { background: #fff6e5; }
.dash-month.missing { background: #fdecec; }
.dash-month.not_due { background: #f3f5f6; }
.dash-att.district-alerts { margin: 0.3rem 0 0.8rem; }
.dash-keys { display: flex; flex-wrap: wrap; gap: 0.3rem 1rem; margin-bottom: 0.3rem; }
.dash-key { display: inline-block; width: 1.2rem; height: 3px; vertical-align: middle; margin-left: 0.3rem; }
.dash-key.dotted { border-top: 2px dotted #7a8a90; height: 0; }
.dash-district-links { display: grid; grid-template-columns: repeat(auto-fill, minmax(7rem, 1fr)); gap: 0.4rem; }
.dash-district-link { border: 1px solid #cfe0e0; border-radius: 0.4rem; padding: 0.4rem 0.6rem; text-decoration: none; }
.dash-chart[data-link] .nsewdrag, .dash-chart[data-link] .bars path { cursor: pointer; }
a.dash-cell-link { text-decoration: none; border-bottom: 1px dotted currentColor; }

/* tables: right to left, never squeezed into many lines; a narrow screen scrolls them sideways */
.dash-table-wrap { overflow-x: auto; max-width: 100%; margin-bottom: 0.6rem; }
.dash-table { border-collapse: collapse; direction: rtl; width: 100%; font-size: 0.88rem; }
.dash-table th, .dash-table td { text-align: right; padding: 0.3rem 0.6rem; border-bottom: 1px solid #e9eef0;
  white-space: nowrap; }
.dash-table th { color: #4b575b; font-weight: 700; background: #f7f9fa; }
.dash-table td.num { font-variant-numeric: tabular-nums; }
.dash-table tr.mine td { background: #fdebd6; }
.dash-table td.wrap { white-space: normal; min-width: 14rem; }
.dash-table code { font-size: 0.85em; white-space: nowrap; }
.dash-table-notes { color: #5b6b70; font-size: 0.82rem; line-height: 1.7; margin: -0.3rem 0 0.6rem; }
.dash-missing { color: #8a5a00; }
.dash-legend { font-size: 0.82rem; color: #5b6b70; }
.dash-swatch { display: inline-block; width: 0.8rem; height: 0.8rem; border-radius: 2px; vertical-align: middle;
  margin-left: 0.3rem; }

/* the file uploader: Streamlit's English hidden, Persian said by CSS (ui/seam.py ENGLISH) */
$dropzone_instructions span, $dropzone_instructions small { display: none; }
$dropzone_instructions::after {
  content: "فایل اکسل یا سی‌اس‌وی را اینجا رها کنید یا دکمهٔ «انتخاب فایل» را بزنید"; font-size: 0.9rem; color: #374449;
}
$dropzone_button $markdown { display: none; }
$dropzone_button::after { content: "انتخاب فایل"; margin-right: 0.3rem; }
$file_chip_size { display: none; }
$dropzone_overlay > * { display: none; }
$dropzone_overlay::after { content: "فایل را اینجا رها کنید"; font-size: 1rem; }

@media (max-width: 640px) {
  /* a table becomes a stack of cards, one a row, each cell with its column's name: nothing is cut */
  .dash-table.stack thead { display: none; }
  .dash-table.stack, .dash-table.stack tbody, .dash-table.stack tr, .dash-table.stack td { display: block; width: 100%; }
  .dash-table.stack tr { border: 1px solid #e4e8ea; border-radius: 0.5rem; margin-bottom: 0.4rem; padding: 0.2rem 0; }
  .dash-table.stack td { display: flex; justify-content: space-between; gap: 0.8rem; border-bottom: none;
    white-space: normal; overflow-wrap: anywhere; padding: 0.15rem 0.6rem; }
  .dash-table.stack td::before { content: attr(data-label); color: #5b6b70; font-weight: 700; flex: 0 0 auto;
    max-width: 45%; }
  .dash-table.stack td.wrap { display: block; min-width: 0; }
  .dash-table.stack td.wrap::before { display: block; max-width: none; }
  .dash-table .phone-hidden, .dash-table-notes .phone-hidden { display: none !important; }
  .dash-table:not(.stack) td.wrap { white-space: normal; min-width: 7rem; }
  .dash-table:not(.stack) th, .dash-table:not(.stack) td { padding: 0.3rem 0.35rem; }
  .dash-table:not(.stack) th { white-space: normal; }
  .dash-table code { white-space: normal; overflow-wrap: anywhere; }
  $main_block { padding-left: 0.8rem; padding-right: 0.8rem; padding-top: 3rem; }
  .dash-cards { grid-template-columns: repeat(2, minmax(0, 1fr)); }
  .dash-card .v { font-size: 1.1rem; }
  h1 { font-size: 1.4rem !important; }
}
/* a table's downloads: two small buttons under it */
[class*="st-key-dash-dl-"] { margin-top: -0.5rem; gap: 0.2rem; }
[class*="st-key-dash-dl-"] button { min-height: 1.6rem; padding: 0 0.35rem; font-size: 0.82rem; }

/* print: A4 landscape, the page's title, period, «data as of», charts and tables; no sidebar,
   header, toolbar, widgets or download buttons. Each page adds its header and own rules (ui/printing.py). */
@page { size: A4 landscape; margin: 12mm; }
@media print {
  $sidebar, $header, $main [role="tablist"], .modebar-container, [class*="st-key-dash-dl-"],
  $element:has(input, button, textarea, [role="slider"]):not(:has(.js-plotly-plot, .dash-chart)) {
    display: none !important;
  }
  $frame, $main { position: static !important; overflow: visible !important; }
  /* the page as a desk shows it, drawn at three quarters on the sheet: a chart drawn for a desk's
     screen fits A4 landscape's width, and a chart beside another stays beside it */
  $main_block { max-width: 100% !important; padding: 0 !important; zoom: 0.75; }
  $vertical_block { display: block !important; }
  $vertical_block > * + * { margin-top: 0.7rem; }
  body { background: #fff !important; }
  h1 { padding-top: 0 !important; }
  .dash-chart, [data-dash-chart], .js-plotly-plot { max-width: 100% !important; overflow: hidden; }
  /* a chart (or a row of charts), a table's legend, a box: moved to the next sheet whole, never cut */
  $element:has(.js-plotly-plot), $columns:has(.js-plotly-plot), .dash-legend, .dash-keys, .dash-months {
    break-inside: avoid; page-break-inside: avoid; }
  /* a heading (and the caption under it) stays with what follows it */
  $element:has(h1, h2, h3), $element:has($markdown > p:only-child > strong:only-child),
  $element:has(h1, h2, h3) + $element:not(:has(.js-plotly-plot, table)) {
    break-after: avoid; page-break-after: avoid; }
  .js-plotly-plot .svg-container { max-width: 100% !important; }
  .dash-table-wrap { overflow: visible; }
  .dash-table { font-size: 0.78rem; }
  .dash-table thead { display: table-header-group; }
  .dash-table tr, .dash-card, .dash-att, .dash-note { break-inside: avoid; page-break-inside: avoid; }
  .dash-asof, $caption { color: #374449 !important; }
}
"""


def apply_rtl() -> None:
    """Write the style sheet (ui/templates/theme.html) into the page."""
    # Markup: the sheet is this module's constant text with ui/seam.py's constant selectors put in;
    # no data reaches it, and it holds no "<" (so nothing in it can end the style element)
    st.html(html.render("theme.html", css=html.Markup(seam.css(_CSS))))
