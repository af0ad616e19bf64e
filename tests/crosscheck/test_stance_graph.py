"""The stance graph: judged edges kept in the database, read back instead of judging again."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, func, select

from api.app import create_app
from crosscheck.claims import service as claim_service
from crosscheck.claims.models import Claim
from crosscheck.claims.schemas import ClaimCreate
from crosscheck.graph.builder import GraphBuilder
from crosscheck.graph.models import GraphedClaim, SourceLink, StanceEdge
from crosscheck.runtime import Runtime
from crosscheck.settings import Settings
from crosscheck.timelines.service import statement_timeline
from crosscheck.verdicts.schemas import EvidenceRequest, VerifyRequest
from embeddings.encoders.sentence_transformers import SentenceTransformerEncoder
from tests.conftest import judged_pairs, load_demo, wait_until_ready


@pytest.fixture
def demo_runtime(runtime: Runtime) -> Runtime:
    load_demo(runtime)
    return runtime


@pytest.fixture
def builder(demo_runtime: Runtime) -> GraphBuilder:
    """A builder that is not started: the tests step it themselves."""
    return GraphBuilder(
        session_factory=demo_runtime.session_factory,
        claim_index=demo_runtime.claim_index,
        judge=demo_runtime.judge,
        neighbours=demo_runtime.settings.default_top_k,
    )


def _edges(runtime: Runtime) -> list[StanceEdge]:
    with runtime.session_factory() as session:
        return list(session.scalars(select(StanceEdge)))


def _links(runtime: Runtime) -> dict[tuple[int, int], float]:
    with runtime.session_factory() as session:
        rows = session.execute(
            select(SourceLink.claim_id, SourceLink.other_id, SourceLink.similarity)
        )
        held = {(row.claim_id, row.other_id): row.similarity for row in rows}
        assert session.scalar(select(func.count(SourceLink.id))) == len(held)
    return held


def test_each_claim_is_judged_against_other_sources_and_no_pair_twice(
    demo_runtime: Runtime, builder: GraphBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert builder.report_lag().pending > 0
    graphed = builder.catch_up()
    with demo_runtime.session_factory() as session:
        stored = session.scalar(select(func.count(Claim.id)))
        sources = {
            row.id: row.source_id for row in session.execute(select(Claim.id, Claim.source_id))
        }
    assert graphed == stored
    assert builder.report_lag().pending == 0
    edges = _edges(demo_runtime)
    assert edges
    assert all(sources[e.claim_id] != sources[e.evidence_id] for e in edges)
    assert all(e.model_version == demo_runtime.judge.version for e in edges)
    # Both ways: each judged pair is stored with the claim and with the evidence as the claim.
    pairs = {(e.claim_id, e.evidence_id) for e in edges}
    assert all((evidence, claim) in pairs for claim, evidence in pairs)

    # Each claim is linked, both ways, to its own source's statements near it.
    links = _links(demo_runtime)
    assert links and all(sources[a] == sources[b] and (b, a) in links for a, b in links)

    asked = judged_pairs(demo_runtime, monkeypatch)
    with demo_runtime.session_factory() as session:
        session.execute(delete(GraphedClaim))
        session.commit()
    # Every claim is pending again, but every pair it would judge is already stored.
    assert builder.catch_up() == stored
    assert asked == []
    assert len(_edges(demo_runtime)) == len(edges)
    assert _links(demo_runtime) == links


def test_a_new_claim_is_judged_only_against_its_neighbours(
    demo_runtime: Runtime, builder: GraphBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    builder.catch_up()
    before = {e.id for e in _edges(demo_runtime)}
    asked = judged_pairs(demo_runtime, monkeypatch)
    text = "Only 500 North Korean troops are in Russia."
    with demo_runtime.session_factory() as session:
        created = claim_service.create(
            session=session, claim_in=ClaimCreate(text=text, source="Kremlin spokesman")
        )
        session.commit()
        new_id = created.claim.id
    demo_runtime.claim_index.add_texts([(new_id, text)])
    assert builder.catch_up() == 1
    added = [e for e in _edges(demo_runtime) if e.id not in before]
    assert len(asked) == len(added) == 2 * demo_runtime.settings.default_top_k
    assert all(new_id in (e.claim_id, e.evidence_id) for e in added)
    # The NIS's count is among the new claim's neighbours, judged against it.
    assert any("1,500" in evidence for claim, evidence in asked if claim == text)


def test_evidence_for_a_stored_claim_is_read_from_the_graph(
    demo_runtime: Runtime, builder: GraphBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    with demo_runtime.session_factory() as session:
        claim_id = session.scalars(
            select(Claim.id).where(Claim.text.contains("roughly 3,000 soldiers"))
        ).one()

    def verify() -> dict[int, tuple[str, float]]:
        with demo_runtime.session_factory() as session:
            verification = demo_runtime.verifier.verify_stored_claim(
                session=session, claim_id=claim_id, request=EvidenceRequest(top_k=10)
            )
        return {
            item.claim.id: (item.stance.value, round(item.judgement.confidence, 4))
            for item in verification.evidence
        }

    live = verify()
    builder.catch_up()
    asked = judged_pairs(demo_runtime, monkeypatch)
    from_graph = verify()
    assert from_graph == live
    with demo_runtime.session_factory() as session:
        claim_text = session.get_one(Claim, claim_id).text
    # Timelines may still judge a source's newer statements; the evidence itself is looked up.
    assert not [pair for pair in asked if pair[0] == claim_text]


def test_text_worded_as_a_stored_claim_reuses_its_edges(
    demo_runtime: Runtime, builder: GraphBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    with demo_runtime.session_factory() as session:
        stored = session.scalars(
            select(Claim).where(Claim.text.contains("roughly 3,000 soldiers"))
        ).one()
        own_source = set(
            session.scalars(select(Claim.text).where(Claim.source_id == stored.source_id))
        )
    # The same wording, cased and spaced differently; a paraphrase would be judged live.
    text = stored.text.upper().replace(" ", "   ")
    asked_as = VerifyRequest(text=text).text

    def verify(claim_text: str) -> dict[int, tuple[str, float]]:
        with demo_runtime.session_factory() as session:
            verification = demo_runtime.verifier.verify_text(
                session=session, request=VerifyRequest(text=claim_text, top_k=10)
            )
        return {
            item.claim.id: (item.stance.value, round(item.judgement.confidence, 4))
            for item in verification.evidence
        }

    live = verify(text)
    builder.catch_up()
    asked = judged_pairs(demo_runtime, monkeypatch)
    assert verify(text) == live
    # The graph judges a claim against other sources only: its own source's are judged live.
    judged_live = [evidence for claim, evidence in asked if claim == asked_as]
    assert stored.text in judged_live
    assert set(judged_live) <= own_source
    asked.clear()
    paraphrase = stored.text.replace("roughly", "about")
    verify(paraphrase)
    assert {evidence for claim, evidence in asked if claim == paraphrase} - own_source


def test_a_new_model_version_regraphs_every_claim(
    demo_runtime: Runtime, builder: GraphBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    builder.catch_up()
    count = len(_edges(demo_runtime))
    monkeypatch.setattr(demo_runtime.judge, "version", "retrained")
    with demo_runtime.session_factory() as session:
        stored = session.scalar(select(func.count(Claim.id)))
    assert builder.report_lag().pending == stored
    builder.catch_up()
    edges = _edges(demo_runtime)
    assert {e.model_version for e in edges} == {"retrained"}
    assert len(edges) == count


def test_deleting_a_claim_deletes_its_edges(demo_runtime: Runtime, builder: GraphBuilder) -> None:
    builder.catch_up()
    victim = _edges(demo_runtime)[0].evidence_id
    with demo_runtime.session_factory() as session:
        claim_service.delete(session=session, claim_id=victim)
        session.commit()
    assert all(victim not in (e.claim_id, e.evidence_id) for e in _edges(demo_runtime))
    with demo_runtime.session_factory() as session:
        assert session.get(GraphedClaim, victim) is None


@pytest.fixture
def graphing_client(
    settings: Settings, encoder: SentenceTransformerEncoder
) -> Iterator[TestClient]:
    with TestClient(
        create_app(Runtime(settings.model_copy(update={"stance_graph": True}), encoder=encoder))
    ) as test_client:
        wait_until_ready(test_client)
        yield test_client


def test_the_server_graphs_in_the_background_and_reports_its_lag(
    graphing_client: TestClient,
) -> None:
    runtime: Runtime = graphing_client.app.state.runtime  # type: ignore[attr-defined]
    assert runtime.graph_builder is not None
    load_demo(runtime)
    deadline = time.monotonic() + 120
    body: dict[str, Any] = {}
    while time.monotonic() < deadline:
        body = graphing_client.get("/readyz").json()
        if body["stance_graph"]["pending_claims"] == 0:
            break
        time.sleep(0.5)
    assert body["stance_graph"] == {"pending_claims": 0, "lag_seconds": 0.0}
    assert _edges(runtime)
    metrics = graphing_client.get("/metrics").text
    assert "crosscheck_graph_lag_claims 0.0" in metrics


def _supersession(runtime: Runtime, texts: Sequence[str]) -> dict[str, dict[int, int | None]]:
    """For each text verified: each evidence claim and the statement superseding it."""
    answers = {}
    for text in texts:
        with runtime.session_factory() as session:
            verification = runtime.verifier.verify_text(
                session=session, request=VerifyRequest(text=text, top_k=10)
            )
        answers[text] = {
            item.claim.id: item.superseded_by.id if item.superseded_by else None
            for item in verification.evidence
        }
    return answers


def _timelines(runtime: Runtime, claim_ids: Sequence[int]) -> dict[int, list[tuple[int, Any]]]:
    timelines = {}
    with runtime.session_factory() as session:
        for claim_id in claim_ids:
            timeline = statement_timeline(
                session=session,
                claim_index=runtime.claim_index,
                claim_id=claim_id,
                threshold=runtime.settings.timeline_similarity,
            )
            timelines[claim_id] = [
                (e.claim.id, e.superseded_by.id if e.superseded_by else None)
                for e in timeline.entries
            ]
    return timelines


def _source_searches(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the index searches limited to one source's statements, from now on."""
    searches: list[int] = []
    search = runtime.claim_index.search

    def counting(query: Any, k: int, *, among: Sequence[int] | None = None) -> Any:
        if among is not None:
            searches.append(len(among))
        return search(query, k, among=among)

    monkeypatch.setattr(runtime.claim_index, "search", counting)
    return searches


def test_supersession_and_timelines_read_the_graphs_links_instead_of_searching(
    demo_runtime: Runtime, builder: GraphBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    with demo_runtime.session_factory() as session:
        rows = session.execute(select(Claim.id, Claim.text).order_by(Claim.id)).all()
    texts = [
        "North Korea has sent about 3,000 soldiers to Russia.",
        "There is no sign that North Korean soldiers are in Russia.",
        *[text for _, text in rows[::6]],
    ]
    claim_ids = [claim_id for claim_id, _ in rows[::3]]
    searched = _supersession(demo_runtime, texts), _timelines(demo_runtime, claim_ids)
    superseded = [s for answer in searched[0].values() for s in answer.values() if s]
    assert superseded, "the demo data has statements that later ones supersede"

    builder.catch_up()
    searches = _source_searches(demo_runtime, monkeypatch)
    assert (_supersession(demo_runtime, texts), _timelines(demo_runtime, claim_ids)) == searched
    assert searches == []

    # A source with a statement the graph has not reached yet is searched, and the new
    # statement supersedes at once.
    with demo_runtime.session_factory() as session:
        denial = session.scalars(
            select(Claim).where(Claim.text.startswith("There is no indication so far"))
        ).one()
        created = claim_service.create(
            session=session,
            claim_in=ClaimCreate(
                text="North Korea has now sent roughly 10,000 soldiers to Russia.",
                source=denial.source.name,
                stated_at=datetime(2024, 11, 5, tzinfo=UTC),
                url="https://example.org/briefings/2024-11-05",
            ),
        )
        session.commit()
        new = created.claim
    demo_runtime.claim_index.add_texts([(new.id, new.text)])
    latest = _supersession(demo_runtime, ["North Korea has sent about 3,000 soldiers to Russia."])
    assert searches
    assert new.id in next(iter(latest.values())).values()
    searches.clear()
    assert builder.catch_up() == 1
    assert (
        _supersession(demo_runtime, ["North Korea has sent about 3,000 soldiers to Russia."])
        == latest
    )
    assert searches == []
