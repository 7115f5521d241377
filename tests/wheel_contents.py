"""Checks a built wheel carries what the console needs at run time besides code: the compiled
French catalogue and every stylesheet. Run by ``make check-wheel``: python -m tests.wheel_contents W."""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def missing_files(wheel: Path) -> list[str]:
    names = set(zipfile.ZipFile(wheel).namelist())
    wanted = ["helpdesk/locale/fr/LC_MESSAGES/helpdesk.mo"]
    wanted += [f"styles/{path.name}" for path in sorted((ROOT / "styles").glob("*.tcss"))]
    return [name for name in wanted if name not in names]


def main(argv: list[str]) -> int:
    (wheel,) = argv
    missing = missing_files(Path(wheel))
    for name in missing:
        print(f"{wheel}: {name} is not in the wheel", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
