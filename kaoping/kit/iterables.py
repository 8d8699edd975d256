"""Small iteration helpers shared by the apps."""

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TypeVar

T = TypeVar("T")


def batched(iterable: Iterable[T], size: int) -> Iterator[list[T]]:
    """``itertools.batched`` (Python 3.12) for 3.11: lists of ``size`` items, the last shorter."""
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch
