"""Finished page answers shared by every worker on the machine, on disk.

Each worker's memory cache (``response_cache``) would render a page once per worker; with
this tier a page is rendered once per machine and data version, and a restarted or new worker
starts warm. One gzip file per answer under ``<data dir>/answers/<version>/``, written to a
temporary name and renamed into place, so a reader sees a whole answer or none. Answers of
versions that are no longer published are removed by the first worker that notices.

The data directory may be read-only (e.g. a mounted snapshot): then this tier quietly does
nothing and each worker keeps its own memory cache.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import threading
from pathlib import Path

ANSWERS_DIR = "answers"
log = logging.getLogger(__name__)


class SharedAnswers:
    """Gzip-compressed answers by (data version, request hash)."""

    def __init__(self, data_dir: Path):
        self.root = Path(data_dir) / ANSWERS_DIR
        self.versions_dir = Path(data_dir) / "versions"
        self._seen_versions: set[str] = set()
        self._lock = threading.Lock()
        self.writable = True

    def path(self, key: tuple[str, str]) -> Path:
        version, digest = key
        return self.root / version / digest[:2] / f"{digest}.json.gz"

    def read(self, key: tuple[str, str]) -> bytes | None:
        try:
            return self.path(key).read_bytes()
        except OSError:
            return None

    def write(self, key: tuple[str, str], gzipped: bytes) -> None:
        if not self.writable:
            return
        self._prune_once_per_version(key[0])
        target = self.path(key)
        temporary = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_bytes(gzipped)
            os.replace(temporary, target)
        except OSError as error:
            self.writable = False
            log.warning("shared answers off: cannot write under %s (%s)", self.root, error)
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)

    def _prune_once_per_version(self, version: str) -> None:
        """On the first answer of a version this process writes, drop the answers of versions
        that are no longer published (publishing prunes old versions)."""
        with self._lock:
            if version in self._seen_versions:
                return
            self._seen_versions.add(version)
        self.prune()

    def prune(self) -> list[str]:
        """Remove the answer directories of unpublished versions; the names removed."""
        try:
            published = {entry.name for entry in self.versions_dir.iterdir()}
            stale = [entry for entry in self.root.iterdir() if entry.name not in published]
        except OSError:
            return []
        for entry in stale:
            shutil.rmtree(entry, ignore_errors=True)
        return [entry.name for entry in stale]
