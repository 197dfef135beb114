"""The HTML report in a real browser: Debian's Chromium, headless, driven by Playwright.

Checked as a person would see it: every finding is there, every page picture has loaded, the box
drawn on the picture covers the characters of the phrase (read back from the PDF with pdfplumber)
and there is ink under it, the filters hide and show findings, and the page logs no error and asks
for nothing over the network. A screenshot is taken of each report.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLE, edited
from review_support import DEFECTS, PUTUO, browser, chars_at, check, write
from workflow_support import BAD_CELL, write_report

from disclosure_lint.formatters.summary import family

# Where a box of a finding's n-th picture lies on its page, from the geometry on screen: the box's
# rectangle relative to the picture, scaled to the page region the picture shows (data-region, in PDF
# points), and the share of dark pixels of the picture under the box.
BOX_ON_PAGE = """
(article, [n, role]) => {
  const fig = article.querySelectorAll("figure.page")[n];
  const img = fig.querySelector("img");
  const box = fig.querySelector(`.box[data-role="${role}"]`);
  const ir = img.getBoundingClientRect(), br = box.getBoundingClientRect();
  const [x0, top, x1, bottom] = fig.dataset.region.split(" ").map(Number);
  const sx = (x1 - x0) / ir.width, sy = (bottom - top) / ir.height;
  const onPage = [x0 + (br.left - ir.left) * sx, top + (br.top - ir.top) * sy,
                  x0 + (br.right - ir.left) * sx, top + (br.bottom - ir.top) * sy];
  const canvas = document.createElement("canvas");
  canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
  const g = canvas.getContext("2d");
  g.drawImage(img, 0, 0);
  const kx = img.naturalWidth / ir.width, ky = img.naturalHeight / ir.height;
  const w = Math.max(1, Math.round(br.width * kx)), h = Math.max(1, Math.round(br.height * ky));
  const px = g.getImageData(Math.round((br.left - ir.left) * kx), Math.round((br.top - ir.top) * ky), w, h).data;
  let dark = 0;
  for (let i = 0; i < px.length; i += 4) if (px[i] + px[i + 1] + px[i + 2] < 384) dark += 1;
  return {page: Number(fig.dataset.page), onPage, ink: dark / (w * h), frame: getComputedStyle(box).outlineStyle};
}
"""


@pytest.fixture(scope="module")
def chromium():
    with browser() as b:
        yield b


class Opened:
    """A report opened in a fresh page, with everything the page logged and requested."""

    def __init__(self, chromium, report: Path) -> None:
        self.url = report.as_uri()
        self.problems: list[str] = []
        self.requests: list[str] = []
        self.page = chromium.new_page(viewport={"width": 1400, "height": 1000})
        self.page.on("console", lambda m: m.type in ("error", "warning") and self.problems.append(m.text))
        self.page.on("pageerror", lambda e: self.problems.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.goto(self.url, wait_until="load")

    def visible(self) -> list[str]:
        return self.page.eval_on_selector_all("article.finding:not([hidden])", "els => els.map(e => e.dataset.rule)")

    def toggle(self, name: str, value: str) -> None:
        self.page.click(f'form.filters input[name="{name}"][value="{value}"]')

    def shown_count(self) -> int:
        return int(self.page.inner_text(".shown-count"))

    def images(self) -> list[list]:
        return self.page.eval_on_selector_all("img", "els => els.map(e => [e.complete, e.naturalWidth])")

    def screenshot(self, path: Path) -> Path:
        self.page.screenshot(path=str(path), full_page=True)
        keep = os.environ.get("DISCLOSURE_LINT_SCREENSHOTS")
        if keep:
            shutil.copy(path, Path(keep) / path.name)
        return path

    def quiet(self) -> None:
        """Nothing logged, and nothing asked for but the report itself."""
        assert self.problems == []
        assert [u for u in self.requests if u != self.url and not u.startswith("data:")] == []


def _is_png(path: Path) -> bool:
    return path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_putuo_report_boxes_both_defects_on_page_21(chromium, putuo, tmp_path):
    diagnostics, ctx = putuo
    opened = Opened(chromium, write("html", diagnostics, ctx, tmp_path / "putuo.html"))
    page = opened.page
    assert opened.visible() == [d.rule for d in diagnostics] == [r for r, _, _, _ in DEFECTS]
    images = opened.images()
    assert len(images) == 4
    assert all(done and width > 0 for done, width in images)
    for rule, number, phrase, before in DEFECTS:
        box = page.eval_on_selector(f'article[data-rule="{rule}"]', BOX_ON_PAGE, [0, "primary"])
        assert box["page"] == number
        assert box["frame"] == "solid"
        inside, left = chars_at(PUTUO, number, box["onPage"])
        assert inside == phrase
        assert left.endswith(before)
        assert box["ink"] > 0.1
    # The table cell the 0.3 should match: 公开04表's 总计 on page 13, in a dashed box.
    related = page.eval_on_selector('article[data-rule="N.FISCAL-TOTAL"]', BOX_ON_PAGE, [1, "related"])
    assert (related["page"], related["frame"]) == (13, "dashed")
    assert chars_at(PUTUO, 13, related["onPage"])[0] == "2,961.68"
    assert related["ink"] > 0.05
    # A click shows a picture at its full resolution; the box stays on the phrase.
    sheet = page.locator('article[data-rule="N.GPB-CLASS"] figure.page .sheet').first
    sheet.click()
    sizes = page.eval_on_selector(
        'article[data-rule="N.GPB-CLASS"] figure.page img', "e => [e.getBoundingClientRect().width, e.naturalWidth]"
    )
    assert sizes[0] == pytest.approx(sizes[1], abs=1)
    zoomed = page.eval_on_selector('article[data-rule="N.GPB-CLASS"]', BOX_ON_PAGE, [0, "primary"])
    assert chars_at(PUTUO, 21, zoomed["onPage"])[0] == "71.73"
    sheet.click()
    opened.toggle("severity", "error")
    assert (opened.visible(), opened.shown_count()) == ([], 0)
    assert page.is_visible("section.file .none-shown")
    opened.toggle("severity", "error")
    assert len(opened.visible()) == opened.shown_count() == 2
    opened.toggle("family", "N")
    assert opened.visible() == []
    opened.toggle("family", "N")
    assert len(opened.visible()) == 2
    assert _is_png(opened.screenshot(tmp_path / "review-report-putuo.png"))
    opened.quiet()


def test_batch_report_filters_and_links_to_each_file(chromium, make_xlsx, example_text, tmp_path):
    text = write_report(tmp_path / "阳泉.txt")
    workbook = make_xlsx(text=edited(example_text, [BAD_CELL]))
    (tmp_path / "notes.md").write_text("# 会议纪要\n\n下周讨论。\n", encoding="utf-8")
    diagnostics, ctx = check(EXAMPLE, text, workbook.path, tmp_path / "notes.md")
    opened = Opened(chromium, write("html", diagnostics, ctx, tmp_path / "batch.html"))
    page = opened.page
    assert opened.visible() == [d.rule for d in diagnostics]
    assert page.locator("table.files tbody tr").count() == 4
    assert "无法检查" in page.inner_text("table.files tbody tr:nth-child(4)")
    assert page.locator("svg.chart g.rule-bar").count() == len({d.rule for d in diagnostics})
    marks = page.eval_on_selector_all(
        "table.lines mark.mark:not(.related)", "els => els.map(e => e.getBoundingClientRect().width)"
    )
    assert len(marks) == sum(1 for d in diagnostics if d.loc.line is not None and d.rule != "E.INPUT")
    assert all(w > 0 for w in marks)
    cell = page.locator('article[data-rule="T03.ROW-SUM"] table.grid td.mark.error').first
    assert cell.inner_text() == "4394.83"
    not_warnings = [d.rule for d in diagnostics if d.severity != "warning"]
    opened.toggle("severity", "warning")
    assert opened.visible() == not_warnings
    opened.toggle("family", "T")
    assert opened.visible() == [d.rule for d in diagnostics if d.severity != "warning" and family(d.rule) != "T"]
    opened.toggle("severity", "warning")
    opened.toggle("family", "T")
    assert opened.visible() == [d.rule for d in diagnostics]
    page.click('table.files a[href="#file-3"]')
    assert page.evaluate("location.hash") == "#file-3"
    assert abs(page.evaluate("document.getElementById('file-3').getBoundingClientRect().top")) < 5
    assert _is_png(opened.screenshot(tmp_path / "review-report-batch.png"))
    opened.quiet()
