"""How many requests an online engine keeps in flight: additive increase, multiplicative decrease.

The service is shared, so a build must never hammer it. :class:`AdaptiveLimiter` starts at
``start`` requests in flight (8 by default, never more than ``ceiling``, the ``--concurrency``
of the build: the ceiling itself unless it is set higher), opens one more slot per success
until the service first pushes back, then one more each time a whole window of requests
succeeds, and halves
when the service pushes back — a 429 or 403, a reset or dropped stream, a timeout, or a first
byte slower than ``slow_first_byte`` seconds. One cut per ``cooldown`` seconds: a burst of
failures from requests sent before the cut counts once.

It is an async context manager, a drop-in for the ``asyncio.Semaphore`` the edge engine takes
as its ``limiter``; :meth:`report` is what ``episode.json`` records under ``synthesis``.
"""

from __future__ import annotations

import asyncio
import collections
import time
from typing import Self

DEFAULT_START = 8  # 6 cost the first round of requests two idle slots (0.7 s of a 9 s stage)
SLOW_FIRST_BYTE = 3.0  # seconds from request to first audio: the service is struggling
COOLDOWN = 1.0


class AdaptiveLimiter:
    def __init__(self, ceiling: int, start: int = DEFAULT_START, *, cooldown: float = COOLDOWN,
                 slow_first_byte: float = SLOW_FIRST_BYTE, clock=time.monotonic) -> None:
        if ceiling < 1:
            raise ValueError("ceiling must be at least 1")
        self.ceiling = ceiling
        self.start = max(1, min(ceiling, start))
        self.limit = self.start
        self.cooldown = cooldown
        self.slow_first_byte = slow_first_byte
        self._clock = clock
        self.in_flight = 0
        self.peak = 0  # most requests ever in flight at once
        self.lowest = self.limit
        self.backoffs = 0
        self.reasons: collections.Counter[str] = collections.Counter()
        self.requests = 0
        self._successes = 0
        self._last_cut = float("-inf")
        self._waiters: collections.deque[asyncio.Future] = collections.deque()

    # -- the semaphore part --

    async def acquire(self) -> None:
        if self.in_flight < self.limit and not self._waiters:
            self._take()
            return
        fut = asyncio.get_running_loop().create_future()
        self._waiters.append(fut)
        try:
            await fut  # the releaser took the slot for us
        except asyncio.CancelledError:
            if fut.done() and not fut.cancelled():
                self.release()  # granted, but nobody will use it
            else:
                self._waiters.remove(fut)
            raise

    def _take(self) -> None:
        self.in_flight += 1
        self.requests += 1
        self.peak = max(self.peak, self.in_flight)

    def release(self) -> None:
        self.in_flight -= 1
        self._wake()

    def _wake(self) -> None:
        while self._waiters and self.in_flight < self.limit:
            fut = self._waiters.popleft()
            if not fut.done():
                self._take()
                fut.set_result(None)

    async def __aenter__(self) -> Self:
        await self.acquire()
        return self

    async def __aexit__(self, *exc) -> None:
        self.release()

    # -- the adaptive part --

    def success(self, first_byte: float | None = None) -> None:
        """A request completed; ``first_byte`` is how long its first audio took (seconds)."""
        if first_byte is not None and first_byte > self.slow_first_byte:
            self.throttled("slow first byte")
            return
        self._successes += 1
        # Slow start until the first pushback (one more slot per success), then one more per
        # window of successes, as TCP does.
        window = self.limit if self.backoffs else 1
        if self._successes >= window and self.limit < self.ceiling:
            self.limit += 1
            self._successes = 0
            self._wake()

    def throttled(self, reason: str) -> None:
        """The service pushed back: halve the requests in flight (at most once per cooldown)."""
        self.reasons[reason] += 1
        now = self._clock()
        if now - self._last_cut < self.cooldown:
            return
        self._last_cut = now
        self._successes = 0
        if self.limit > 1:
            self.limit = max(1, self.limit // 2)
            self.lowest = min(self.lowest, self.limit)
        self.backoffs += 1

    def report(self) -> dict:
        return {"ceiling": self.ceiling, "start": self.start, "peak": self.peak, "final": self.limit,
                "lowest": self.lowest, "backoffs": self.backoffs, "requests": self.requests,
                "pushback": dict(sorted(self.reasons.items()))}
