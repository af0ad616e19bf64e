"""Each HTTP request gets a time budget, and notices when its client leaves.

A pump reads the server's ``receive`` channel on the request's behalf and hands messages to the
app through a one-slot queue (so a large body is still read only as fast as the app reads it).
Once the body is in, the next message the server sends is ``http.disconnect``: the pump marks
the request's deadline abandoned at once, even while the app is busy judging in a thread, and
the work stops at its next ``check_deadline()``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from crosscheck.deadlines import Deadline, deadline_scope


class RequestDeadline:
    """Runs each HTTP request under a ``Deadline`` of ``seconds`` (``None``: no time limit).

    ``exempt_paths`` (bulk loads, whose length is the client's choice) get no time limit.
    """

    def __init__(
        self, app: ASGIApp, *, seconds: float | None, exempt_paths: Collection[str]
    ) -> None:
        self.app = app
        self.seconds = seconds
        self.exempt_paths = frozenset(exempt_paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        exempt = scope["path"] in self.exempt_paths
        deadline = Deadline(None if exempt else self.seconds)
        inbox: asyncio.Queue[Message | Exception] = asyncio.Queue(maxsize=1)
        delivered_disconnect = False

        async def pump() -> None:
            while True:
                try:
                    message = await receive()
                except Exception as exc:  # handed to the app, which reads it as it would have
                    await inbox.put(exc)
                    return
                if message["type"] == "http.disconnect":
                    deadline.abandon()
                await inbox.put(message)
                if message["type"] == "http.disconnect":
                    return

        async def relayed() -> Message:
            nonlocal delivered_disconnect
            if delivered_disconnect:  # the channel is closed: it says so again, as servers do
                return {"type": "http.disconnect"}
            item = await inbox.get()
            if isinstance(item, Exception):
                raise item
            delivered_disconnect = item["type"] == "http.disconnect"
            return item

        pumping = asyncio.create_task(pump(), name="request-receive-pump")
        try:
            with deadline_scope(deadline):
                await self.app(scope, relayed, send)
        finally:
            pumping.cancel()
