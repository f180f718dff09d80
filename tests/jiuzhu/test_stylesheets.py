"""Every stylesheet of the app closes what it opens: one missing brace turns every rule after it into part of a
phone-only @media block (the desktop then loses them silently)."""
import re
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parents[2] / "static"
SHEETS = sorted(p for p in STATIC.rglob("*.css") if "vendor" not in p.parts)


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda p: str(p.relative_to(STATIC)))
def test_braces_balance_and_media_blocks_close(sheet):
    text = re.sub(r"/\*.*?\*/", "", sheet.read_text(encoding="utf-8"), flags=re.S)
    depth = 0
    for number, line in enumerate(text.split("\n"), 1):
        if depth == 1 and re.match(r"\s*@media\b", line):
            pytest.fail(f"{sheet.name}:{number}: @media opened inside an unclosed block")
        depth += line.count("{") - line.count("}")
        assert depth >= 0, f"{sheet.name}:{number}: more closing braces than opening ones"
    assert depth == 0, f"{sheet.name}: {depth} block(s) not closed"
