"""Resources a ``with`` block closes: buses, their consumers and stores share one protocol."""

from __future__ import annotations

import abc
from types import TracebackType
from typing import Self


class Closeable(abc.ABC):
    """Something that holds connections: ``close()`` releases them, and so does leaving ``with``."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release what this holds; safe to call twice."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
