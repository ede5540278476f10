"""Answers on disk, shared by the workers: whole files only, and only for published versions."""

import pytest

from dashboard.serving.shared_answers import SharedAnswers

KEY = ("v2", "ab" + "0" * 62)


@pytest.fixture()
def data_dir(tmp_path):
    for version in ("v1", "v2"):
        (tmp_path / "versions" / version).mkdir(parents=True)
    return tmp_path


def test_an_answer_written_is_read_back_byte_for_byte(data_dir):
    answers = SharedAnswers(data_dir)
    assert answers.read(KEY) is None
    answers.write(KEY, b"\x1f\x8b answer")
    assert SharedAnswers(data_dir).read(KEY) == b"\x1f\x8b answer"
    leftovers = [p.name for p in answers.path(KEY).parent.iterdir() if p.name.startswith(".")]
    assert leftovers == []  # the temporary file was renamed into place


def test_answers_of_unpublished_versions_are_removed(data_dir):
    answers = SharedAnswers(data_dir)
    answers.write(("v1", "cd" + "1" * 62), b"old")
    (data_dir / "versions" / "v1").rmdir()  # a publish pruned v1
    other_worker = SharedAnswers(data_dir)
    other_worker.write(KEY, b"new")  # its first answer of v2 tidies up
    assert sorted(p.name for p in (data_dir / "answers").iterdir()) == ["v2"]


def test_a_failed_write_turns_the_tier_off_quietly(data_dir):
    """As on a read-only data directory: each worker keeps its memory cache only."""
    (data_dir / "answers").write_text("a file where the directory should be")
    answers = SharedAnswers(data_dir)
    answers.write(KEY, b"answer")
    assert answers.writable is False and answers.read(KEY) is None


def test_the_directory_is_trimmed_to_its_cap_least_recently_used_first(data_dir):
    """Issue 15: 100 requests with 1 MB paths added 78 MB; junk can only fill the cap."""
    answers = SharedAnswers(data_dir, max_bytes=40_000)
    kept = ("v2", "aa" + "f" * 62)
    answers.write(kept, b"k" * 1_000)
    for index in range(200):
        answers.write(("v2", f"{index:064x}"), b"x" * 1_000)
        answers.read(kept)  # read all along: recently used, so never trimmed
    files = list((data_dir / "answers").rglob("*.json.gz"))
    assert sum(path.stat().st_size for path in files) <= 40_000
    assert len(files) >= 20  # trimmed to three quarters of the cap, not emptied
    assert answers.read(kept) == b"k" * 1_000
    assert answers.read(("v2", f"{0:064x}")) is None  # the oldest went first


def test_the_cap_comes_from_the_environment(data_dir, monkeypatch):
    monkeypatch.setenv("LSR_ANSWERS_DISK_MB", "2")
    assert SharedAnswers(data_dir).max_bytes == 2 * 1024 * 1024


def test_the_answers_can_live_outside_the_data_directory(data_dir, tmp_path_factory, monkeypatch):
    elsewhere = tmp_path_factory.mktemp("answers")
    monkeypatch.setenv("LSR_ANSWERS_DIR", str(elsewhere))
    SharedAnswers(data_dir).write(KEY, b"answer")
    assert not (data_dir / "answers").exists()
    assert list(elsewhere.rglob("*.json.gz")) and SharedAnswers(data_dir).read(KEY) == b"answer"
