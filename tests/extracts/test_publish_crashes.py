"""Publishing survives kill -9 and power cuts: leftovers of dead publishers are removed at the
next publish (never a live one's staging), and the new version is on disk before the switch."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pyarrow.compute as pc
import pytest

from extracts import publish as publishing
from extracts.publish import current_version, publish, read_table, staging_area, version_dir
from tests.fixtures import publish_fixture

ROOT = Path(__file__).resolve().parents[2]


def leftovers(data_dir: Path) -> list[str]:
    """Dot-named things a publish makes and should not leave (the lock file is permanent)."""
    names = []
    for parent in (data_dir, data_dir / "versions", data_dir / "records"):
        if parent.is_dir():
            names += [
                str(p.relative_to(data_dir))
                for p in parent.iterdir()
                if p.name.startswith(".") and p.name != ".publish.lock"
            ]
    return sorted(names)


def republish_dtoc(data_dir: Path) -> str:
    indicators = read_table(version_dir(data_dir, current_version(data_dir)), "indicators")
    dtoc = indicators.filter(pc.equal(indicators.column("source"), "dtoc"))
    return publish(data_dir, partitions={"indicators": {"dtoc": dtoc}})


def killed_during(data_dir: Path, function: str) -> int:
    """Run a publish in a child process that kills itself (SIGKILL) when ``function`` of
    extracts.publish is first called; returns the child's exit status."""
    script = textwrap.dedent(
        f"""
        import os, signal, sys
        from pathlib import Path
        from extracts import publish as publishing
        import pyarrow.compute as pc

        def die(*args, **kwargs):
            os.kill(os.getpid(), signal.SIGKILL)

        data_dir = Path(sys.argv[1])
        indicators = publishing.read_current(data_dir, "indicators")
        dtoc = indicators.filter(pc.equal(indicators.column("source"), "dtoc"))
        target = {function!r}
        if target == "os.replace":
            publishing.os.replace = die
        else:
            setattr(publishing, target, die)
        publishing.publish(data_dir, partitions={{"indicators": {{"dtoc": dtoc}}}})
        """
    )
    child = subprocess.run(
        [sys.executable, "-c", script, str(data_dir)], cwd=ROOT, capture_output=True, timeout=120
    )
    return child.returncode


class TestCrashLeftovers:
    @pytest.mark.parametrize(
        ("function", "left"),
        [("_check_references", "versions/.staging-"), ("os.replace", ".CURRENT.")],
    )
    def test_kill_9_mid_publish_leaves_staging_the_next_publish_removes(
        self, tmp_path, function, left
    ):
        # Given a publisher killed with SIGKILL after staging (or after writing its marker)
        first = publish_fixture(tmp_path)
        assert killed_during(tmp_path, function) == -signal.SIGKILL
        assert current_version(tmp_path) == first
        assert any(name.startswith(left) for name in leftovers(tmp_path)), leftovers(tmp_path)
        # When the next publish runs
        second = republish_dtoc(tmp_path)
        # Then nothing dot-named is left and the new version is current and complete
        assert leftovers(tmp_path) == []
        assert current_version(tmp_path) == second
        assert read_table(version_dir(tmp_path, second), "indicators").num_rows > 0

    def test_a_live_record_staging_is_kept_a_dead_ones_removed(self, tmp_path):
        # Given a live process building record staging (it holds the staging lock) ...
        publish_fixture(tmp_path)
        records = tmp_path / "records"
        script = textwrap.dedent(
            """
            import sys, time
            from pathlib import Path
            from extracts.publish import staging_area
            with staging_area(Path(sys.argv[1])) as staging:
                (staging / "hes_apc").mkdir(parents=True)
                (staging / "hes_apc" / "part-0.parquet").write_bytes(b"x" * 1000)
                print(staging.name, flush=True)
                time.sleep(120)
            """
        )
        child = subprocess.Popen(
            [sys.executable, "-c", script, str(records)], cwd=ROOT, stdout=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        try:
            live = records / child.stdout.readline().strip()
            assert live.is_dir()
            # ... and leftovers of a killed one (no lock held) and of an old-style staging
            dead = records / ".staging-0123456789ab"
            (dead / "hes_ae").mkdir(parents=True)
            (records / ".staging-0123456789ab.lock").touch()
            legacy = records / ".staging-deadbeef"
            legacy.mkdir()
            # When another publish runs
            republish_dtoc(tmp_path)
            # Then the live staging is untouched and the dead ones are gone
            assert live.is_dir() and (live / "hes_apc" / "part-0.parquet").stat().st_size == 1000
            assert not dead.exists() and not legacy.exists()
            assert not (records / ".staging-0123456789ab.lock").exists()
            # And once its owner is killed with SIGKILL, the next publish removes it too
            os.kill(child.pid, signal.SIGKILL)
            child.wait(timeout=30)
            republish_dtoc(tmp_path)
            assert leftovers(tmp_path) == []
        finally:
            if child.poll() is None:
                os.kill(child.pid, signal.SIGKILL)
                child.wait(timeout=30)

    def test_staging_area_is_removed_with_its_lock_when_done(self, tmp_path):
        with staging_area(tmp_path) as staging:
            staging.mkdir()
            (staging / "file").write_text("x")
            assert (tmp_path / f"{staging.name}.lock").exists()
        assert list(tmp_path.iterdir()) == []


class TestDurability:
    def test_every_file_and_directory_is_fsynced_before_the_switch(self, tmp_path, monkeypatch):
        # Given a published dataset and a record of every fsync and the CURRENT switch
        publish_fixture(tmp_path)
        events: list[tuple[str, str]] = []
        real_fsync, real_replace = os.fsync, os.replace

        def fsync(descriptor: int) -> None:
            events.append(("fsync", os.readlink(f"/proc/self/fd/{descriptor}")))
            real_fsync(descriptor)

        def replace(source, target) -> None:
            events.append(("replace", str(target)))
            real_replace(source, target)

        monkeypatch.setattr(publishing.os, "fsync", fsync)
        monkeypatch.setattr(publishing.os, "replace", replace)
        # When a new version is published
        version = republish_dtoc(tmp_path)
        # Then before CURRENT is replaced every file and directory of the new version was
        # synced (under its staging name), then the versions directory, then the marker
        switch = events.index(("replace", str(tmp_path / "CURRENT")))
        synced = [path for kind, path in events[:switch] if kind == "fsync"]
        staging = str(tmp_path.resolve() / "versions" / f".staging-{version}")
        new = version_dir(tmp_path, version)
        expected = {staging} | {staging + "/" + str(p.relative_to(new)) for p in new.rglob("*")}
        assert expected <= set(synced)
        assert str(tmp_path.resolve() / "versions") in synced
        assert str(tmp_path.resolve() / f".CURRENT.{version}") in synced
        # And the data directory (the new CURRENT entry) after the switch
        assert ("fsync", str(tmp_path.resolve())) in events[switch:]


TRIALS = int(os.environ.get("LSR_FUZZ_CASES", "3"))  # the long run (make fuzz) sets more


def test_kill_9_at_random_moments_never_leaves_junk_after_the_next_publish(tmp_path):
    """Publishers killed at spread-out moments: CURRENT always names a complete version, and
    the next publish leaves no staging, marker or half-written version behind."""
    import random
    import time

    publish_fixture(tmp_path)
    script = textwrap.dedent(
        """
        import sys
        from pathlib import Path
        from tests.fixtures import fixture_tables
        from extracts.publish import publish
        while True:
            publish(Path(sys.argv[1]), tables=fixture_tables(2), fresh=True)
        """
    )
    chance = random.Random(15)
    for _trial in range(TRIALS):
        child = subprocess.Popen([sys.executable, "-c", script, str(tmp_path)], cwd=ROOT)
        time.sleep(chance.uniform(1.0, 4.0))
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
        version = current_version(tmp_path)
        assert read_table(version_dir(tmp_path, version), "indicators").num_rows > 0
        republish_dtoc(tmp_path)
        assert leftovers(tmp_path) == []
        versions = [p.name for p in (tmp_path / "versions").iterdir()]
        assert len(versions) <= publishing.KEEP_VERSIONS + 1, versions
        assert current_version(tmp_path) in versions
