"""How many of the bundled failing examples pin the rule and the place they expect.

A failing example without an expectation only proves "some finding, somewhere"; one that names its
rule and its line (or page, or cell) fails as soon as the rule reads the wrong cell. The count is
per pack, over the examples in the pack's own folder (inherited examples are counted once, in the
pack that holds them), the same figure ``disclosure-lint pack test`` prints at its end.

Usage: python bench/pinned_examples.py [--unpinned]
"""

from __future__ import annotations

import argparse

from disclosure_lint.packs.load import load_pack
from disclosure_lint.packs.locate import available_pack_dirs
from disclosure_lint.packs.test import pinned_share, unpinned_examples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--unpinned", action="store_true", help="list the failing examples that pin nothing")
    args = parser.parse_args()
    grand_total = grand_pinned = 0
    for folder in available_pack_dirs():
        pack = load_pack(str(folder))
        total, pinned = pinned_share(pack)
        grand_total += total
        grand_pinned += pinned
        print(f"{pack.id:<34} {pinned:>4} / {total:<4} pinned")
        if args.unpinned:
            for path in unpinned_examples(pack):
                print(f"    {path.relative_to(folder)}")
    share = grand_pinned / grand_total if grand_total else 0.0
    print(f"{'all bundled packs':<34} {grand_pinned:>4} / {grand_total:<4} pinned ({share:.0%})")


if __name__ == "__main__":
    main()
