"""Startup objects are frozen out of the collector's reach; later garbage is still collected."""

import gc

from dashboard.serving.heap import freeze_startup_objects


class Cycle:
    def __init__(self):
        self.me = self


def test_startup_objects_are_frozen_and_later_cycles_still_collected():
    kept = [Cycle() for _ in range(10)]
    try:
        assert freeze_startup_objects() >= len(kept)
        collected = {id(obj) for obj in gc.get_objects()}  # the permanent generation is not
        assert not any(id(c) in collected for c in kept)
        Cycle()  # garbage made after the freeze: a cycle only the collector can free
        assert gc.collect() >= 1
    finally:
        gc.unfreeze()
