"""The claim feed: bounded fan-out, slow subscribers dropped, filters applied claim by claim."""

from __future__ import annotations

import asyncio
import logging
import threading
from datetime import UTC, datetime

import pytest

from crosscheck.claims.schemas import ClaimCreate, ClaimFilter, ClaimRead
from crosscheck.claims.service import create
from crosscheck.feeds.broadcaster import Broadcaster
from crosscheck.feeds.exceptions import SubscriberTooSlowError
from crosscheck.feeds.schemas import ClaimMatcher
from crosscheck.feeds.service import ClaimFeed, claim_matcher
from crosscheck.runtime import Runtime
from crosscheck.sources.exceptions import SourceNotFoundError
from crosscheck.sources.schemas import SourceRef


def claim(
    claim_id: int, text: str, source_id: int = 1, stated_at: datetime | None = None
) -> ClaimRead:
    return ClaimRead(
        id=claim_id,
        text=text,
        source=SourceRef(id=source_id, name=f"Source {source_id}"),
        stated_at=stated_at,
        url=None,
        external_id=None,
        document_id=None,
        polarity="asserts",
        created_at=datetime.now(UTC),
    )


def test_matcher_applies_sources_text_and_stated_range() -> None:
    matcher = ClaimMatcher(
        source_ids=frozenset({1}),
        text="Harbour",
        stated_from=datetime(2024, 10, 1),  # no zone: UTC, as in listings
        stated_to=datetime(2024, 10, 31, tzinfo=UTC),
    )
    inside = datetime(2024, 10, 10, tzinfo=UTC)
    assert matcher.matches(claim(1, "The HARBOUR is shut.", 1, inside))
    assert not matcher.matches(claim(2, "The HARBOUR is shut.", 2, inside))
    assert not matcher.matches(claim(3, "The port is shut.", 1, inside))
    assert not matcher.matches(claim(4, "The harbour is shut.", 1, None))
    assert not matcher.matches(
        claim(5, "The harbour is shut.", 1, datetime(2024, 11, 2, tzinfo=UTC))
    )
    assert ClaimMatcher().matches(claim(6, "Anything at all."))


def test_slow_subscriber_is_dropped_without_holding_back_the_others(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def scenario() -> None:
        broadcaster: Broadcaster[int] = Broadcaster(queue_size=2, name="numbers")
        with (
            broadcaster.subscribe(lambda n: True) as slow,
            broadcaster.subscribe(lambda n: n % 2 == 0) as even,
        ):
            broadcaster.publish([1, 2])
            assert [await anext(even)] == [2]
            broadcaster.publish([3, 4, 5, 6])  # slow's queue is full at 3
            assert broadcaster.subscriber_count == 1 and broadcaster.dropped_total == 1
            assert [await anext(slow), await anext(slow)] == [1, 2]
            with pytest.raises(SubscriberTooSlowError):
                await anext(slow)
            assert [await anext(even), await anext(even)] == [4, 6]
        assert broadcaster.subscriber_count == 0

    with caplog.at_level(logging.WARNING):
        asyncio.run(scenario())
    assert "dropped a subscriber" in caplog.text


def test_a_reader_waiting_on_an_empty_queue_hears_it_was_dropped() -> None:
    async def scenario() -> None:
        broadcaster: Broadcaster[int] = Broadcaster(queue_size=5, name="numbers")
        with broadcaster.subscribe(lambda n: True) as waiting:
            reader = asyncio.create_task(anext(waiting))
            await asyncio.sleep(0)
            broadcaster.drop_all(reason="test")
            with pytest.raises(SubscriberTooSlowError):
                await asyncio.wait_for(reader, 5)

    asyncio.run(scenario())


def test_feed_reads_claims_indexed_on_other_threads_and_matches_them(runtime: Runtime) -> None:
    with runtime.session_factory() as session:
        stored = [
            create(session=session, claim_in=ClaimCreate(text=text, source="Port Authority"))
            for text in ("Harbour closed.", "Ferries late.", "Harbour open.", "Harbour dredged.")
        ]
        session.commit()
        ids = [s.claim.id for s in stored]
        matcher = claim_matcher(
            session=session, claim_filter=ClaimFilter(sources=["port authority"], q="harbour")
        )
        with pytest.raises(SourceNotFoundError):
            claim_matcher(session=session, claim_filter=ClaimFilter(sources=["Nobody"]))

    async def scenario() -> list[str]:
        feed = ClaimFeed(session_factory=runtime.session_factory, queue_size=10)
        feed.claims_indexed(ids)  # nobody listens yet: nothing is read
        async with feed.subscribe(matcher.matches) as claims:
            writer = threading.Thread(target=feed.claims_indexed, args=(ids[:3],))
            writer.start()
            writer.join()
            # Indexed twice (a catch-up racing a write): announced once, so next comes the new one.
            feed.claims_indexed(ids[2:3])
            feed.claims_indexed([ids[0], ids[3]])
            received = [(await anext(claims)).text for _ in range(3)]
        await feed.close()
        return received

    assert asyncio.run(asyncio.wait_for(scenario(), 30)) == [
        "Harbour closed.",
        "Harbour open.",
        "Harbour dredged.",
    ]


def test_feed_drops_a_subscriber_that_does_not_read(runtime: Runtime) -> None:
    with runtime.session_factory() as session:
        ids = [
            create(session=session, claim_in=ClaimCreate(text=f"Item {i}.", source="Wire")).claim.id
            for i in range(5)
        ]
        session.commit()

    async def scenario() -> None:
        feed = ClaimFeed(session_factory=runtime.session_factory, queue_size=3)
        async with feed.subscribe(ClaimMatcher().matches) as claims:
            feed.claims_indexed(ids)
            while feed.subscriber_count:
                await asyncio.sleep(0.01)
            assert feed.dropped_total == 1
            assert [(await anext(claims)).text for _ in range(3)] == [
                "Item 0.",
                "Item 1.",
                "Item 2.",
            ]
            with pytest.raises(SubscriberTooSlowError):
                await anext(claims)
        await feed.close()

    asyncio.run(asyncio.wait_for(scenario(), 30))
