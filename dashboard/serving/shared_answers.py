"""Finished page answers shared by every worker on the machine, on disk.

Each worker's memory cache (``response_cache``) would render a page once per worker; with
this tier a page is rendered once per machine and data version, and a restarted or new worker
starts warm. One gzip file per answer under ``<data dir>/answers/<version>/``, written to a
temporary name and renamed into place, so a reader sees a whole answer or none. Answers of
versions that are no longer published are removed by the first worker that notices.

The directory is capped (LSR_ANSWERS_DISK_MB, default 256 MB): a reader touches the answer it
reads, and when the answers written since the last look add up to an eighth of the cap, the
writer totals the directory and removes the least recently used answers down to three
quarters of it. Junk requests can therefore cost disk only up to the cap.

LSR_ANSWERS_DIR puts the answers elsewhere (the serving benchmark gives each run its own, so a
view it calls new was rendered by no earlier run, and nothing is written into the data it
serves).

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
DIRECTORY_VARIABLE = "LSR_ANSWERS_DIR"
DEFAULT_DISK_MEGABYTES = 256
CHECK_FRACTION = 8  # total the directory after writing an eighth of the cap
KEEP_FRACTION = 0.75  # after trimming, the answers fill at most this share of the cap
log = logging.getLogger(__name__)


def answers_root(data_dir: Path) -> Path:
    """LSR_ANSWERS_DIR when set, else ``answers/`` in the data directory."""
    configured = os.environ.get(DIRECTORY_VARIABLE, "")
    return Path(configured) if configured else Path(data_dir) / ANSWERS_DIR


def disk_bytes_from_environment() -> int:
    """LSR_ANSWERS_DISK_MB for the whole machine's answers directory."""
    megabytes = float(os.environ.get("LSR_ANSWERS_DISK_MB", DEFAULT_DISK_MEGABYTES))
    return int(megabytes * 1024 * 1024)


class SharedAnswers:
    """Gzip-compressed answers by (data version, request hash)."""

    def __init__(self, data_dir: Path, max_bytes: int | None = None):
        self.root = answers_root(data_dir)
        self.versions_dir = Path(data_dir) / "versions"
        self.max_bytes = disk_bytes_from_environment() if max_bytes is None else max_bytes
        self._seen_versions: set[str] = set()
        self._lock = threading.Lock()
        self._written_since_check = self.max_bytes  # total the directory on the first write
        self.writable = True

    def path(self, key: tuple[str, str]) -> Path:
        version, digest = key
        return self.root / version / digest[:2] / f"{digest}.json.gz"

    def read(self, key: tuple[str, str]) -> bytes | None:
        path = self.path(key)
        try:
            answer = path.read_bytes()
        except OSError:
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: trimmed last
        return answer

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
            self._trim_when_due(len(gzipped))
        except OSError as error:
            self.writable = False
            log.warning("shared answers off: cannot write under %s (%s)", self.root, error)
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)

    def _trim_when_due(self, written: int) -> None:
        with self._lock:
            self._written_since_check += written
            if self._written_since_check < self.max_bytes / CHECK_FRACTION:
                return
            self._written_since_check = 0
        self.trim()

    def trim(self) -> int:
        """Remove the least recently used answers while the directory is over the cap; the
        bytes left."""
        files = []
        for directory, _, names in os.walk(self.root):
            for name in names:
                path = os.path.join(directory, name)
                with contextlib.suppress(OSError):
                    status = os.stat(path)
                    files.append((max(status.st_atime, status.st_mtime), status.st_size, path))
        total = sum(size for _, size, _ in files)
        if total <= self.max_bytes:
            return total
        for _, size, path in sorted(files):
            if total <= self.max_bytes * KEEP_FRACTION:
                break
            with contextlib.suppress(OSError):
                os.unlink(path)
                total -= size
        return total

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
