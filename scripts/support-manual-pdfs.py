"""Renders some support-app manuals (Markdown) as real PDFs, so the demo knowledge base has PDFs that
go through the product's PDF parser. A dev tool: needs fpdf2 (pip install fpdf2 into a venv).

    python scripts/support-manual-pdfs.py

Reads apps/support/knowledge/manuals/<name>.md, writes apps/support/knowledge-pdf/<name>.pdf. The
output is committed; re-run after editing a manual. Fixed creation date, so output is reproducible.
"""
import datetime
import pathlib
import re

from fpdf import FPDF

ROOT = pathlib.Path(__file__).resolve().parent.parent
SOURCE = ROOT / "apps/support/knowledge/manuals"
TARGET = ROOT / "apps/support/knowledge-pdf"
MANUALS = ["nova-r7-router", "lumen-t2-thermostat", "halo-c4x-camera"]
# Core PDF fonts are Latin-1; these are the few characters our manuals use outside it.
REPLACEMENTS = {"\u2212": "-", "\u2013": "-", "\u2014": "-", "\u2019": "'", "\u201c": '"', "\u201d": '"'}


def latin1(text):
    for old, new in REPLACEMENTS.items():
        text = text.replace(old, new)
    return text


def render(name):
    text = (SOURCE / f"{name}.md").read_text(encoding="utf-8")
    front, body = re.match(r"^---\n(.*?)\n---\n(.*)$", text, re.S).groups()
    fields = dict(line.split(": ", 1) for line in front.splitlines())
    pdf = FPDF(format="A4")
    pdf.set_creation_date(datetime.datetime(2026, 11, 1, tzinfo=datetime.timezone.utc))
    pdf.set_title(fields["title"])
    pdf.set_subject("Brightwave Home product manual")
    pdf.set_keywords(fields["product"])
    pdf.set_author("Brightwave Home")
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    table = []

    def flush_table():
        if not table:
            return
        with pdf.table(col_widths=(30, 110), text_align="LEFT") as grid:
            for cells in table:
                row = grid.row()
                for cell in cells:
                    row.cell(latin1(cell))
        table.clear()
        pdf.ln(3)

    for line in body.splitlines():
        if line.startswith("|"):
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            if not all(set(cell) <= set("-: ") for cell in cells):
                table.append(cells)
            continue
        flush_table()
        heading = re.match(r"^(#{1,3}) (.*)$", line)
        if heading:
            size = {1: 18, 2: 14, 3: 12}[len(heading.group(1))]
            pdf.ln(2)
            pdf.set_font("Helvetica", "B", size)
            pdf.multi_cell(0, size * 0.5, latin1(heading.group(2)), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        elif line.strip():
            pdf.set_font("Helvetica", "", 10.5)
            pdf.multi_cell(0, 5.2, latin1(line.strip()), new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.ln(2)
    flush_table()
    TARGET.mkdir(exist_ok=True)
    pdf.output(str(TARGET / f"{name}.pdf"))


for manual in MANUALS:
    render(manual)
    print(f"wrote {TARGET / manual}.pdf")
