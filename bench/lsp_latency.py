"""Language-server latency as an editor sees it: open -> diagnostics, and change -> diagnostics.

    python bench/lsp_latency.py [REPORT] [--changes N]

Starts ``python -m disclosure_lint server``, opens the report (default: the bundled example), then
edits one amount N times, waiting for each version's diagnostics. Change latency includes the
server's debounce delay, which is printed separately.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

from disclosure_lint.lsp.server import CHANGE_DELAY

ROOT = Path(__file__).resolve().parent.parent


async def measure(report: Path, changes: int) -> None:
    client = LanguageClient("bench", "1")
    arrived: dict[int, float] = {}

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def published(params: types.PublishDiagnosticsParams) -> None:
        arrived[params.version or 0] = time.perf_counter()

    async def wait(version: int) -> float:
        while version not in arrived:
            await asyncio.sleep(0.001)
        return arrived[version]

    t0 = time.perf_counter()
    await client.start_io(sys.executable, "-m", "disclosure_lint", "server")
    await client.initialize_async(types.InitializeParams(capabilities=types.ClientCapabilities()))
    client.initialized(types.InitializedParams())
    started = time.perf_counter() - t0

    text = report.read_text(encoding="utf-8")
    uri = report.resolve().as_uri()
    t0 = time.perf_counter()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="plaintext", version=1, text=text)
        )
    )
    opened = await wait(1) - t0

    lines = text.splitlines()
    line = max(range(len(lines)), key=lambda i: lines[i].count("\t"))
    col = len(lines[line])
    latencies = []
    for version in range(2, changes + 2):
        t0 = time.perf_counter()
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[
                    types.TextDocumentContentChangePartial(
                        range=types.Range(
                            start=types.Position(line=line, character=col), end=types.Position(line=line, character=col)
                        ),
                        text=" ",
                    )
                ],
            )
        )
        col += 1
        latencies.append(await wait(version) - t0)

    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    print(f"server start + initialize: {started * 1000:.0f} ms")
    print(f"open -> diagnostics (first check, loads the packs): {opened * 1000:.0f} ms")
    median = statistics.median(latencies)
    print(
        f"change -> diagnostics, median of {changes}: {median * 1000:.0f} ms "
        f"= debounce {CHANGE_DELAY * 1000:.0f} ms + check {(median - CHANGE_DELAY) * 1000:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "report", nargs="?", default=ROOT / "examples" / "yangquan-data-bureau-2024-final.txt", type=Path
    )
    parser.add_argument("--changes", type=int, default=20)
    args = parser.parse_args()
    asyncio.run(measure(args.report, args.changes))


if __name__ == "__main__":
    main()
