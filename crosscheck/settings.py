"""Typed service settings, read once from the environment (prefix ``CROSSCHECK_``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AnyHttpUrl, Field, ValidationInfo, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from crosscheck.access.rate_limits import parse_limits
from embeddings.encoders.base import PACKAGED_MODEL

DEFAULT_STANCE_MODEL = Path(__file__).resolve().parent.parent / "models" / "stance"


class Settings(BaseSettings):
    """Everything the service can be configured with; validated at start-up."""

    model_config = SettingsConfigDict(env_prefix="CROSSCHECK_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default="sqlite:///./var/crosscheck.db",
        description="SQLAlchemy URL: sqlite:///path or postgresql+psycopg://user@host/db",
    )
    sqlite_busy_timeout_seconds: float = Field(
        default=30.0,
        gt=0,
        le=600,
        description="SQLite: how long a write waits for another's lock before a 503 storage_busy",
    )
    request_deadline_seconds: float | None = Field(
        default=30.0,
        gt=0,
        le=3600,
        description=(
            "Time budget of one HTTP request's judging work (verify, stance, evidence, GraphQL):"
            " past it the work stops and the answer is a 504 deadline_exceeded; bulk loads have"
            " none. Work also stops when the client leaves. Unset: no time limit"
        ),
    )
    index_dir: Path = Field(
        default=Path("./var/index"), description="Where the FAISS index and its metadata are saved"
    )
    vector_backend: Literal["faiss", "pgvector"] = Field(
        default="faiss",
        description="Vector index engine: FAISS in each process, or pgvector inside PostgreSQL",
    )
    vector_database_url: str | None = Field(
        default=None,
        description="PostgreSQL URL holding the pgvector table; unset: the claims database",
    )
    pgvector_ef_search: int = Field(
        default=100,
        ge=1,
        le=1000,
        description="Candidates pgvector's HNSW index weighs per query (recall against speed)",
    )
    model: str = Field(
        default=PACKAGED_MODEL,
        description="Sentence-transformers model: a local folder, or the packaged default",
    )
    stance_model_dir: Path | None = Field(
        default=DEFAULT_STANCE_MODEL,
        description="Trained stance artifacts (crosscheck train-stance); unset for rules only",
    )
    nli_model: str | None = Field(
        default=None,
        description="An NLI cross-encoder (local path) to use instead of the trained classifier",
    )
    encoder_backend: Literal["auto", "torch", "onnx"] = Field(
        default="auto",
        description="auto: ONNX Runtime for small batches (queries), PyTorch for large ones",
    )
    onnx_dir: Path | None = Field(
        default=None,
        description="Where ONNX exports of the models are cached (default: onnx/ beside the index)",
    )
    # bench/verify.py measured ONNX Runtime ahead at every batch size up to 256 on this machine
    # (2 busy cores), so bulk loads (512 a time) use it too; PyTorch takes larger calls.
    onnx_max_batch: int = Field(
        default=512,
        ge=0,
        le=100_000,
        description="auto backend: largest batch ONNX Runtime encodes; PyTorch takes larger ones",
    )
    query_batch_window_ms: float = Field(
        default=1.0,
        ge=0.0,
        le=100.0,
        description="How long the query batcher waits for concurrent queries to encode together",
    )
    query_batch_max: int = Field(
        default=64, ge=1, le=4096, description="Most texts the query batcher encodes in one call"
    )
    judgement_cache_size: int = Field(
        default=20_000,
        ge=0,
        description="(claim, evidence) stance judgements remembered; 0 turns the cache off",
    )
    index_kind: Literal["auto", "flat", "ivf"] = Field(
        default="auto",
        description="auto: exact (flat) search below ivf_min_claims claims, IVF from there on",
    )
    ivf_min_claims: int = Field(
        default=50_000, ge=1_000, description="auto index kind: claims from which IVF is used"
    )
    ivf_nprobe: int = Field(
        default=16, ge=1, le=4096, description="IVF lists searched per query (recall vs speed)"
    )
    host: str = Field(
        default="127.0.0.1",
        description="Where crosscheck serve listens; without API keys, loopback only",
    )
    port: int = Field(default=8000, ge=1, le=65535)
    open_mode_hosts: list[str] = Field(
        default=["localhost", "127.0.0.1", "::1"],
        description="Host names an open-mode server (no API keys yet) answers to; other names "
        "(DNS rebinding) get 403 host_not_allowed",
    )
    http_keep_alive_seconds: int = Field(
        default=5, ge=1, le=600, description="An idle keep-alive connection is closed after this"
    )
    http_max_header_bytes: int = Field(
        default=16_384,
        ge=1_024,
        le=1_048_576,
        description="Largest request line and headers a connection may send before they end",
    )
    http_max_connections: int | None = Field(
        default=None,
        ge=1,
        description="Connections (and WebSockets) served at once; more get 503 (empty: no bound)",
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["auto", "json", "text"] = Field(
        default="auto",
        description="auto: JSON lines when stderr is not a terminal, readable text when it is",
    )
    max_page_size: int = Field(
        default=500,
        ge=1,
        le=10_000,
        description="Most rows one page holds (REST `limit`, GraphQL `first`/`last`)",
    )
    subscriptions_per_socket: int = Field(
        default=20,
        ge=1,
        le=10_000,
        description="GraphQL subscriptions open at once on one WebSocket (SUBSCRIPTION_LIMIT)",
    )
    subscriptions_per_caller: int = Field(
        default=100,
        ge=1,
        le=1_000_000,
        description="GraphQL subscriptions open at once per key (per address without one)",
    )
    subscription_queue_size: int = Field(
        default=1000,
        ge=1,
        le=1_000_000,
        description="Claims queued for one GraphQL subscriber; one further behind is dropped",
    )
    encode_batch_size: int = Field(
        default=64, ge=1, le=4096, description="Texts PyTorch encodes per forward pass (bulk work)"
    )
    index_sync_seconds: float = Field(
        default=5.0,
        gt=0,
        description="How often a server looks for claims other processes wrote (CLI loads)",
    )
    index_save_seconds: float = Field(
        default=30.0,
        gt=0,
        le=86_400,
        description="How often a server saves its FAISS index when it changed (a crash costs "
        "at most this much re-encoding at the next start; claims are safe in the database)",
    )
    bulk_max_bytes: int = Field(
        default=100_000_000,
        ge=1_000,
        description="Largest body POST /v1/claims/bulk and /v1/documents/bulk accept (413 beyond)",
    )
    max_request_bytes: int = Field(
        default=4_000_000,
        ge=1_000,
        le=1_000_000_000,
        description="Largest request body (declared or streamed) outside the bulk routes: 413 "
        "beyond; room for a 200,000-character document however its JSON escapes it",
    )
    graphql_max_depth: int = Field(
        default=10,
        ge=2,
        le=100,
        description="Deepest nesting of fields a GraphQL operation may have (QUERY_TOO_DEEP)",
    )
    graphql_max_aliases: int = Field(
        default=30,
        ge=0,
        le=10_000,
        description="Most aliased fields in one GraphQL document (TOO_MANY_ALIASES)",
    )
    graphql_max_tokens: int = Field(
        default=2_000,
        ge=50,
        le=1_000_000,
        description="Most tokens in one GraphQL document; parsing stops beyond (TOO_MANY_TOKENS)",
    )
    graphql_max_cost: int = Field(
        default=20_000,
        ge=1,
        le=100_000_000,
        description=(
            "Most cost units one GraphQL operation may need (QUERY_TOO_COSTLY): a field costs 1, "
            "verify/evidence 100 + 10 per candidate, stance/claimReview 100, timeline 20; a list "
            "multiplies what it holds by its page size"
        ),
    )
    graphql_introspection: bool = Field(
        default=True,
        description="Answer GraphQL introspection (__schema, __type); turn off in production",
    )
    graphql_ide: bool = Field(
        default=True,
        description="Serve GraphiQL at GET /graphql; turn off in production",
    )
    graphql_max_batch: int = Field(
        default=0,
        ge=0,
        le=100,
        description="Most operations in one batched GraphQL request (a JSON array); 0: no batches",
    )
    default_top_k: int = Field(default=10, ge=1, le=100)
    attribution_parser: bool = Field(
        default=True,
        description="Read the sentences the attribution rules leave to the publisher a second "
        "time with the dependency parser (spaCy's en_core_web_sm in .venv-parser, built by make "
        "install); off, or where it is not installed, the rules attribute alone",
    )
    parser_python: Path | None = Field(
        default=None,
        description="The Python interpreter of the parser's environment; default "
        ".venv-parser/bin/python in the repository",
    )
    stance_graph: bool = Field(
        default=True,
        description="Judge each stored claim against its nearest claims from other sources in "
        "the background (default_top_k of them) and keep the edges, so evidence for stored "
        "claims is a lookup",
    )
    related_threshold: float = Field(
        default=0.35,
        ge=-1.0,
        le=1.0,
        description="Cosine similarity below which a claim is unrelated",
    )
    timeline_similarity: float = Field(
        default=0.7,
        ge=0.0,
        le=1.0,
        description="Cosine similarity from which two statements of one source are one timeline",
    )
    model_languages: Annotated[list[str], NoDecode] = Field(
        default=["en"],
        description="Languages (ISO 639-1, comma-separated) the encoder and stance judge read; "
        "a claim in another is answered with a notice, not a guess",
    )
    instance_name: str = Field(
        default="crosscheck",
        min_length=1,
        max_length=200,
        description="Who this instance is, as the author of the ClaimReview it publishes",
    )
    public_url: AnyHttpUrl | None = Field(
        default=None,
        description="Where this instance is reached (ClaimReview links); unset: the request's",
    )
    api_key_cache_seconds: float = Field(
        default=2.0,
        ge=0.0,
        le=300.0,
        description="How long a server trusts a key lookup; a key revoked elsewhere (the CLI) "
        "stops working within this time",
    )
    rate_limit_read: str | None = Field(
        default="600/minute",
        description="Reads allowed per key (per client address without one), e.g. "
        "'600/minute' or '20/second; 600/minute'; empty: no limit",
    )
    rate_limit_write: str | None = Field(
        default="120/minute",
        description="Writes allowed per key (per client address without one); empty: no limit",
    )
    rate_limit_storage: str = Field(
        default="memory://",
        description="Where rate-limit counters live: memory:// (per process) or a shared "
        "redis://host:port (needs the redis package)",
    )

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        if not value.startswith(("sqlite", "postgresql")):
            raise ValueError("must be a sqlite:/// or postgresql+psycopg:// URL")
        return value

    @field_validator("rate_limit_read", "rate_limit_write")
    @classmethod
    def _valid_rate_limit(cls, value: str | None) -> str | None:
        try:
            parse_limits(value)
        except ValueError as exc:
            raise ValueError(f"not a rate limit such as '600/minute': {exc}") from exc
        return value

    @field_validator("vector_database_url")
    @classmethod
    def _postgresql_only(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("postgresql"):
            raise ValueError("must be a postgresql+psycopg:// URL (pgvector lives in PostgreSQL)")
        return value

    @model_validator(mode="after")
    def _pgvector_needs_postgresql(self) -> Settings:
        if self.vector_backend == "pgvector" and not self.vector_url.startswith("postgresql"):
            raise ValueError(
                "vector_backend pgvector needs PostgreSQL: set CROSSCHECK_VECTOR_DATABASE_URL "
                "or use a PostgreSQL CROSSCHECK_DATABASE_URL"
            )
        return self

    @property
    def vector_url(self) -> str:
        """Where the pgvector backend keeps its table: its own URL, else the claims database."""
        return self.vector_database_url or self.database_url

    @field_validator("model")
    @classmethod
    def _model_exists(cls, value: str) -> str:
        if value != PACKAGED_MODEL and not Path(value).is_dir():
            raise ValueError(f"model folder {value!r} does not exist (models load offline only)")
        return value

    @field_validator(
        "stance_model_dir",
        "nli_model",
        "onnx_dir",
        "http_max_connections",
        "request_deadline_seconds",
        "vector_database_url",  # blank: the claims database
        mode="before",
    )
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("model_languages", mode="before")
    @classmethod
    def _language_codes(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.split(",")
        if isinstance(value, list):
            codes = [str(code).strip().lower() for code in value if str(code).strip()]
            bad = [code for code in codes if not (code.isalpha() and 2 <= len(code) <= 3)]
            if bad or not codes:
                raise ValueError(f"expected ISO 639-1 codes such as 'en,de', got {value!r}")
            return codes
        return value

    @field_validator("log_level", "log_format", mode="before")
    @classmethod
    def _canonical_case(cls, value: object, info: ValidationInfo) -> object:
        if not isinstance(value, str):
            return value
        return value.upper() if info.field_name == "log_level" else value.lower()

    @property
    def onnx_cache_dir(self) -> Path:
        """The ONNX export cache: ``onnx_dir``, or ``onnx/`` beside the index folder."""
        return self.onnx_dir if self.onnx_dir is not None else self.index_dir.parent / "onnx"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, validated on first use."""
    return Settings()
