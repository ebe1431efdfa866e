"""A dict for what a long-running adapter learns as it goes (post URLs, account names, when a
post was last edited): it keeps the newest `most` entries and forgets older ones, so months of
running do not grow it without end. Only for what can be learnt again or done without."""

from __future__ import annotations

from collections import OrderedDict
from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Recent(OrderedDict[K, V]):
    def __init__(self, most: int = 10_000) -> None:
        super().__init__()
        self.most = most

    def __setitem__(self, key: K, value: V) -> None:
        super().__setitem__(key, value)
        self.move_to_end(key)
        while len(self) > self.most:
            self.popitem(last=False)
