"""Compile the gettext catalogues (.po -> .mo) at start-up when they are missing or stale.

Django's compilemessages needs GNU gettext's msgfmt, which a fresh machine may
lack; Babel does the same in pure Python. Compiled files are not committed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

log = logging.getLogger(__name__)
PACKAGE_DIR = Path(__file__).resolve().parents[2]
# Ours, then our translations of django-allauth (which ships no Hindi or Tamil); as in LOCALE_PATHS.
LOCALE_DIRS = (PACKAGE_DIR / "locale", PACKAGE_DIR / "locale_vendor")


def compile_catalogues(locale_dirs: Iterable[Path] = LOCALE_DIRS) -> list[Path]:
    compiled = []
    po_paths = [po for folder in locale_dirs for po in sorted(folder.glob("*/LC_MESSAGES/*.po"))]
    for po_path in po_paths:
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        try:
            compile_one(po_path, mo_path)
        except (
            OSError
        ) as error:  # a read-only install: the catalogue must be compiled at build time
            log.warning("Cannot write %s (%s); that language shows English.", mo_path, error)
            continue
        compiled.append(mo_path)
    return compiled


def compile_one(po_path: Path, mo_path: Path) -> None:
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale=po_path.parts[-3])
    tmp_path = mo_path.with_suffix(".mo.tmp")
    with tmp_path.open("wb") as mo_file:
        write_mo(mo_file, catalog, use_fuzzy=False)
    tmp_path.replace(mo_path)  # atomic, so a concurrent start never reads half a file
