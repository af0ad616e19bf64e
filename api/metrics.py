"""``/metrics`` in the Prometheus text format: requests, GraphQL operations, and the store.

Request and operation metrics are process-wide (the default registry, with the domain's encoder,
index and load metrics). What the store holds is read when Prometheus scrapes, from this app's
runtime.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator

from fastapi import APIRouter, Request, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from starlette.types import Scope
from strawberry.extensions import SchemaExtension

from crosscheck.claims import service as claim_service
from crosscheck.metrics import SECONDS_BUCKETS
from crosscheck.runtime import Runtime

HTTP_REQUESTS = Counter(
    "crosscheck_http_requests",
    "HTTP requests by method, route template and status",
    ["method", "route", "status"],
)
HTTP_SECONDS = Histogram(
    "crosscheck_http_request_duration_seconds",
    "HTTP request latency by method and route template",
    ["method", "route"],
    buckets=SECONDS_BUCKETS,
)
GRAPHQL_OPERATIONS = Counter(
    "crosscheck_graphql_operations",
    "GraphQL operations by type, name and outcome (ok or error)",
    ["type", "name", "outcome"],
)
GRAPHQL_SECONDS = Histogram(
    "crosscheck_graphql_operation_duration_seconds",
    "GraphQL query and mutation latency by type and name",
    ["type", "name"],
    buckets=SECONDS_BUCKETS,
)

MAX_OPERATION_NAMES = 200  # clients choose names: beyond this many, they count as "other"
_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]{0,63}")


class OperationNames:
    """Operation names as metric labels, bounded so that clients cannot grow them without end."""

    def __init__(self, limit: int = MAX_OPERATION_NAMES) -> None:
        self._limit = limit
        self._seen: set[str] = set()
        self._lock = threading.Lock()

    def label(self, name: str | None) -> str:
        if not name:
            return "anonymous"
        if not _NAME.fullmatch(name):
            return "other"
        with self._lock:
            if name in self._seen or len(self._seen) < self._limit:
                self._seen.add(name)
                return name
        return "other"


OPERATION_NAMES = OperationNames()


class OperationMetrics(SchemaExtension):
    """Counts every GraphQL operation, and times queries and mutations."""

    def on_operation(self) -> Iterator[None]:
        started = time.perf_counter()
        yield
        context = self.execution_context
        try:
            kind = context.operation_type.value
        except RuntimeError:  # the document did not parse: there is no operation
            kind = "unknown"
        name = OPERATION_NAMES.label(context.operation_name)
        failed = context.result is not None and bool(context.result.errors)
        GRAPHQL_OPERATIONS.labels(type=kind, name=name, outcome="error" if failed else "ok").inc()
        if kind != "subscription":  # a subscription lasts as long as the client listens
            GRAPHQL_SECONDS.labels(type=kind, name=name).observe(time.perf_counter() - started)


class StoreCollector(Collector):
    """Claims stored, claims indexed and live subscribers, read at scrape time."""

    def __init__(self, runtime: Runtime) -> None:
        self._runtime = runtime

    def collect(self) -> Iterator[Metric]:
        runtime = self._runtime
        subscribers = GaugeMetricFamily(
            "crosscheck_subscribers", "GraphQL subscriptions listening for new claims"
        )
        subscribers.add_metric([], runtime.claim_feed.subscriber_count)
        yield subscribers
        yield CounterMetricFamily(
            "crosscheck_subscribers_dropped",
            "Subscribers dropped for falling behind",
            value=runtime.claim_feed.dropped_total,
        )
        if not runtime.ready:
            return
        with runtime.session_factory() as session:
            stored = claim_service.watermark(session=session).count
        claims = GaugeMetricFamily("crosscheck_claims_stored", "Claims in the database")
        claims.add_metric([], stored)
        yield claims
        indexed = GaugeMetricFamily("crosscheck_index_claims", "Claims in the vector index")
        indexed.add_metric([], runtime.claim_index.count())
        yield indexed


def store_registry(runtime: Runtime) -> CollectorRegistry:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(StoreCollector(runtime))
    return registry


router = APIRouter(tags=["health"])


@router.get(
    "/metrics",
    operation_id="getMetrics",
    summary="Prometheus metrics",
    response_class=Response,
    responses={200: {"content": {CONTENT_TYPE_LATEST: {}}}},
)
def metrics(request: Request) -> Response:
    # A sync route: the store counts run in the thread pool, not on the event loop.
    store: CollectorRegistry = request.app.state.store_metrics
    body = generate_latest(REGISTRY) + generate_latest(store)
    return Response(content=body, media_type=CONTENT_TYPE_LATEST)


def route_label(scope: Scope) -> str:
    """The matched route's template (``/v1/claims/{claim_id}``), never the raw path.

    Routers carry their full path themselves (``APIRouter(prefix=...)``), not an include prefix.
    """
    route = scope.get("route")
    # path_format: the template without converters (`{claim_id:int}` -> `{claim_id}`).
    path = getattr(route, "path_format", None) or getattr(route, "path", None)
    return path if isinstance(path, str) else "unmatched"
