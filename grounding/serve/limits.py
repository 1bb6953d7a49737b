"""Load limits: a bounded body, a bounded number of generations, a bounded queue in front of them.

Too much load is answered with a clear 413 / 429 / 503, never by piling up threads: the
generation slots and the queue are counted here, and a slot is only given back when the
work that held it has finished (not when its request gave up waiting).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
from collections import deque

from grounding.serve.openai_errors import error_body, is_openai_path


class Overloaded(Exception):
    """Refused for load: `status` is 429 (queue full) or 503 (waited too long / took too long)."""

    def __init__(self, status: int, detail: str, retry_after: int = 5) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.retry_after = retry_after


class GenerationLimiter:
    """`slots` generations at once, `queue` more waiting (first come, first served), the rest refused.

    Loop-agnostic (a lock and a short poll), so one limiter serves any event loop or thread.
    """

    POLL_S = 0.02

    def __init__(self, slots: int, queue: int, queue_timeout_s: float) -> None:
        self.slots = slots
        self.queue = queue
        self.queue_timeout_s = queue_timeout_s
        self._lock = threading.Lock()
        self._active = 0
        self._waiting: deque[int] = deque()
        self._tickets = itertools.count()
        self.refused = 0  # 429s given
        self.timed_out = 0  # 503s given for waiting too long

    @property
    def active(self) -> int:
        return self._active

    @property
    def waiting(self) -> int:
        return len(self._waiting)

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            return {
                "active": self._active,
                "waiting": len(self._waiting),
                "slots": self.slots,
                "queue": self.queue,
                "refused": self.refused,
                "timed_out": self.timed_out,
            }

    def _try_take(self, ticket: int | None) -> bool:
        """Take a slot if one is free and nobody queued ahead of `ticket` (None = not queued)."""
        if self._active >= self.slots:
            return False
        if ticket is None and self._waiting:
            return False
        if ticket is not None and self._waiting[0] != ticket:
            return False
        if ticket is not None:
            self._waiting.popleft()
        self._active += 1
        return True

    async def acquire(self) -> None:
        with self._lock:
            if self._try_take(None):
                return
            if len(self._waiting) >= self.queue:
                self.refused += 1
                raise Overloaded(
                    429,
                    f"too many questions at once: {self._active} being answered and {len(self._waiting)} waiting "
                    f"(limits: serve.max_concurrent_generations={self.slots}, serve.max_queue={self.queue}); retry shortly",
                )
            ticket = next(self._tickets)
            self._waiting.append(ticket)
        deadline = time.monotonic() + self.queue_timeout_s
        try:
            while True:
                with self._lock:
                    if self._try_take(ticket):
                        return
                if time.monotonic() >= deadline:
                    with self._lock:
                        if self._try_take(ticket):
                            return
                        self._waiting.remove(ticket)
                        self.timed_out += 1
                    raise Overloaded(
                        503,
                        f"server busy: waited {self.queue_timeout_s:g} s for a generation slot "
                        f"(serve.queue_timeout_s); retry later",
                        retry_after=max(1, int(self.queue_timeout_s)),
                    )
                await asyncio.sleep(self.POLL_S)
        except asyncio.CancelledError:
            with self._lock:
                if ticket in self._waiting:
                    self._waiting.remove(ticket)
            raise

    def release(self) -> None:
        with self._lock:
            self._active = max(0, self._active - 1)


class BodySizeLimit:
    """ASGI middleware: refuse bodies above `max_bytes` with 413, by Content-Length or as they stream."""

    def __init__(self, app, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def _reject(self, send, length: str, path: str = "") -> None:
        message = f"request body is {length} bytes; the limit is {self.max_bytes:,} (serve.max_body_bytes)"
        body = json.dumps(error_body(413, message) if is_openai_path(path) else {"detail": message}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    n = int(value)
                except ValueError:
                    n = -1
                if n > self.max_bytes:
                    await self._reject(send, f"{n:,}", scope.get("path", ""))
                    return
        seen = 0
        started = False
        too_big = False

        async def limited_receive():
            nonlocal seen, too_big
            msg = await receive()
            if msg["type"] == "http.request":
                seen += len(msg.get("body", b""))
                if seen > self.max_bytes:
                    too_big = True
                    raise _TooLarge()
            return msg

        async def tracking_send(msg):
            nonlocal started
            if too_big:  # whatever the app answers to a cut-off body (often 400), the answer is 413
                if not started:
                    started = True
                    await self._reject(send, f"more than {self.max_bytes:,}", scope.get("path", ""))
                return
            if msg["type"] == "http.response.start":
                started = True
            await send(msg)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except Exception:
            if too_big:
                if not started:
                    await self._reject(send, f"more than {self.max_bytes:,}", scope.get("path", ""))
                return
            raise


class _TooLarge(Exception):
    pass
