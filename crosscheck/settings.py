"""Typed service settings, read once from the environment (prefix ``CROSSCHECK_``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from embeddings.encoder import PACKAGED_MODEL

DEFAULT_STANCE_MODEL = Path(__file__).resolve().parent.parent / "models" / "stance"


class Settings(BaseSettings):
    """Everything the service can be configured with; validated at start-up."""

    model_config = SettingsConfigDict(env_prefix="CROSSCHECK_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default="sqlite:///./var/crosscheck.db",
        description="SQLAlchemy URL: sqlite:///path or postgresql+psycopg://user@host/db",
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
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    encode_batch_size: int = Field(default=64, ge=1, le=4096)
    index_sync_seconds: float = Field(
        default=5.0,
        gt=0,
        description="How often a server looks for claims other processes wrote (CLI loads)",
    )
    bulk_max_bytes: int = Field(
        default=100_000_000,
        ge=1_000,
        description="Largest body POST /v1/claims/bulk and /v1/documents/bulk accept (413 beyond)",
    )
    max_claim_chars: int = Field(default=5000, ge=10, le=1_000_000)
    default_top_k: int = Field(default=10, ge=1, le=100)
    related_threshold: float = Field(
        default=0.35,
        ge=-1.0,
        le=1.0,
        description="Cosine similarity below which a claim is unrelated",
    )

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        if not value.startswith(("sqlite", "postgresql")):
            raise ValueError("must be a sqlite:/// or postgresql+psycopg:// URL")
        return value

    @field_validator("vector_database_url", mode="before")
    @classmethod
    def _blank_is_claims_database(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

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

    @field_validator("stance_model_dir", "nli_model", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, validated on first use."""
    return Settings()
