"""JUnit XML, for CI systems that show test reports: one test suite per file, one failing test case
per finding (an unreadable file is an ``error``), and a passing case for a clean file. A suite's
``pack`` property names the pack its file was checked with."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from ..model import Diagnostic
from . import RenderContext
from .text import line, place

INPUT = "E.INPUT"


def render(diagnostics: list[Diagnostic], ctx: RenderContext) -> str:
    by_file: dict[str, list[Diagnostic]] = {p: [] for p in ctx.paths}
    for d in diagnostics:
        by_file.setdefault(d.loc.path, []).append(d)
    errors = sum(d.rule == INPUT for d in diagnostics)
    total = sum(max(len(ds), 1) for ds in by_file.values())
    suites = ET.Element(
        "testsuites",
        name="disclosure-lint",
        tests=str(total),
        failures=str(len(diagnostics) - errors),
        errors=str(errors),
    )
    for path, found in by_file.items():
        bad = sum(d.rule == INPUT for d in found)
        suite = ET.SubElement(
            suites,
            "testsuite",
            name=path,
            tests=str(max(len(found), 1)),
            failures=str(len(found) - bad),
            errors=str(bad),
        )
        if (pack := ctx.pack_of(path)) is not None:
            props = ET.SubElement(suite, "properties")
            ET.SubElement(props, "property", name="pack", value=pack)
        if not found:
            ET.SubElement(suite, "testcase", classname=path, name="disclosure-lint")
        for d in found:
            case = ET.SubElement(suite, "testcase", classname=path, name=f"{d.rule} {place(d.loc)}")
            outcome = ET.SubElement(case, "error" if d.rule == INPUT else "failure", type=d.rule, message=d.message)
            outcome.text = line(d)
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"
