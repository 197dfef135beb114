"""Seeds and mutations for fuzzing the public ``lint()``: small real reports as text, PDF and XLSX, and
the damage files suffer (bytes flipped, the end cut off, a chunk lost; in a workbook, inside one XML
part). Shared by the property tests and ``bench/fuzz.py``."""

from __future__ import annotations

import io
import random
import re
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from conftest import EXAMPLE

from disclosure_lint.api import lint
from disclosure_lint.errors import InputError
from disclosure_lint.readers.text import parse_text
from disclosure_lint.resources import packs_dir

# The cover, the 概况 and 公开01表 of the example: a report small enough to check in a blink.
SEED_LINES = 108


def seed_text() -> str:
    return "\n".join(EXAMPLE.read_text(encoding="utf-8").splitlines()[:SEED_LINES]) + "\n"


def seed_pdf(folder: Path) -> bytes:
    from pdfgen import build_pdf

    from disclosure_lint.packs.load import load_pack

    specs = list(load_pack("cn-final-accounts-2024").specs.values())
    out = folder / "seed.pdf"
    return build_pdf(parse_text(seed_text(), str(out)), specs, out).read_bytes()


def seed_xlsx(folder: Path) -> bytes:
    from xlsx_factory import build_xlsx

    out = folder / "seed.xlsx"
    return build_xlsx(parse_text(seed_text(), str(out)), out).path.read_bytes()


def flip(data: bytes, changes: list[tuple[int, int]]) -> bytes:
    """Each (position, value): the byte at ``position % len`` becomes ``value``."""
    out = bytearray(data)
    for pos, value in changes:
        out[pos % len(out)] = value
    return bytes(out)


def truncate(data: bytes, keep: int, mend_tail: bool) -> bytes:
    """The first ``keep`` bytes; with ``mend_tail`` an end-of-file marker is added again, so the reader
    gets past its envelope check and parses what is left."""
    cut = data[: keep % len(data)]
    return cut + b"\n%%EOF\n" if mend_tail else cut


def delete(data: bytes, start: int, length: int) -> bytes:
    start %= len(data)
    return data[:start] + data[start + length :]


def rule_sources() -> list[tuple[str, Path]]:
    """The bundled packs' rule files with their pack: realistic material for mutated rule text (files of
    definitions only have no rule to mutate)."""
    texts = [(f.read_text(encoding="utf-8"), f.parent) for f in sorted(packs_dir().glob("*/*.rules"))]
    return [(text, folder) for text, folder in texts if re.search(r"^rule ", text, re.M)]


def rule_mutant(rng: random.Random, sources: list[tuple[str, Path]], extra: list[str]) -> tuple[str, Path]:
    """One rule of a real rule file with a token or two deleted, repeated, swapped or replaced (by a token
    of the rule, or of ``extra``), and its pack: near-valid rules, so that the checker, the compiler and
    the engine are reached too."""
    source, pack = rng.choice(sources)
    starts = [m.start() for m in re.finditer(r"^rule ", source, re.M)]
    first = rng.randrange(len(starts))
    end = starts[first + 1] if first + 1 < len(starts) else len(source)
    tokens = re.split(r"(\s+)", source[starts[first] : end])
    words = [i for i, t in enumerate(tokens) if t.strip()]
    for _ in range(rng.choice((1, 1, 2))):
        i, j = rng.choice(words), rng.choice(words)
        edit = rng.choice(("delete", "repeat", "swap", "replace", "replace", "replace"))
        if edit == "delete":
            tokens[i] = ""
        elif edit == "repeat":
            tokens[i] = tokens[i] + " " + tokens[i]
        elif edit == "swap":
            tokens[i], tokens[j] = tokens[j], tokens[i]
        else:
            tokens[i] = tokens[j] if rng.random() < 0.8 else rng.choice(extra)
    return "".join(tokens), pack


def check_rules(text: str, pack_dir: Path) -> str:
    """Parse, type-check and compile rule text against its pack's tables, then run what compiles on the
    seed report. "compiled" or "pack error"; a PackError without a position, or any other exception,
    propagates."""
    from disclosure_lint.dsl.check import Checker, SchemaEnv
    from disclosure_lint.dsl.parser import parse_rules
    from disclosure_lint.engine.evaluate import compile_rule, run_rules
    from disclosure_lint.engine.views import ReportIndex
    from disclosure_lint.errors import PackError
    from disclosure_lint.packs.load import load_pack
    from disclosure_lint.recognize import recognize

    pack = load_pack(str(pack_dir))
    specs = pack.specs
    # An error inside a definition the rule uses is located in the pack's file that defines it.
    places = {"fuzz.rules", *(d.file for d in pack.definitions.values())}
    try:
        checker = Checker(SchemaEnv(specs), "fuzz.rules", pack.definitions)
        compiled = [compile_rule(checker.rule(rule)) for rule in parse_rules(text, "fuzz.rules")]
    except PackError as err:
        if err.path not in places or err.line is None or err.col is None or "\n" in err.one_line():
            raise AssertionError(f"not a located one-line pack error: {err.one_line()!r}") from None
        return "pack error"
    report = recognize(parse_text(seed_text(), "seed.txt"), list(specs.values()))
    run_rules(compiled, report, ReportIndex(report, specs))
    return "compiled"


def xml_parts(workbook: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(workbook)) as zf:
        return [n for n in zf.namelist() if n.endswith(".xml")]


def mutate_part(workbook: bytes, part: str, mutation) -> bytes:
    """The workbook with ``mutation`` applied to the bytes of one of its XML parts."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            body = zin.read(info)
            zout.writestr(info.filename, mutation(body) if info.filename == part and body else body)
    return out.getvalue()


@dataclass
class Outcome:
    kind: str  # "findings" (checked, possibly with no finding) or "input" (one E.INPUT)
    cpu_seconds: float
    detail: str = ""


def check(name: str, data: bytes) -> Outcome:
    """Run ``lint`` on the bytes as the file ``name``; anything but a result or an InputError propagates."""
    start = time.process_time()
    try:
        result = lint(name, data=data)
    except InputError as exc:
        return Outcome("input", time.process_time() - start, exc.one_line())
    return Outcome("findings", time.process_time() - start, f"{len(result.diagnostics)} findings")
