"""Answers on disk, shared by the workers: whole files only, and only for published versions."""

import pytest

from dashboard.shared_answers import SharedAnswers

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
