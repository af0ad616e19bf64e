from __future__ import annotations

import os
from pathlib import Path

import pytest
from pydantic import ValidationError

from crosscheck.settings import Settings
from embeddings.encoders.base import PACKAGED_MODEL


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.upper().startswith("CROSSCHECK_"):
            monkeypatch.delenv(name)
    # Settings also reads ./.env: run from an empty folder.
    monkeypatch.chdir(tmp_path)


def _error_fields(error: ValidationError) -> list[str]:
    return [".".join(str(part) for part in item["loc"]) for item in error.errors()]


def test_defaults() -> None:
    settings = Settings()
    assert settings.database_url == "sqlite:///./var/crosscheck.db"
    assert settings.index_dir == Path("./var/index")
    assert settings.model == PACKAGED_MODEL
    assert settings.host == "127.0.0.1"
    assert settings.port == 8000
    assert settings.log_level == "INFO"
    assert settings.default_top_k == 10
    assert settings.related_threshold == pytest.approx(0.35)
    assert settings.vector_backend == "faiss"
    assert settings.vector_database_url is None


def test_environment_variables_with_prefix_are_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    model_dir = tmp_path / "model"
    model_dir.mkdir()
    monkeypatch.setenv("CROSSCHECK_DATABASE_URL", "postgresql+psycopg://user@db/crosscheck")
    monkeypatch.setenv("CROSSCHECK_INDEX_DIR", str(tmp_path / "idx"))
    monkeypatch.setenv("CROSSCHECK_MODEL", str(model_dir))
    monkeypatch.setenv("CROSSCHECK_PORT", "9000")
    monkeypatch.setenv("CROSSCHECK_LOG_LEVEL", "warning")
    monkeypatch.setenv("CROSSCHECK_RELATED_THRESHOLD", "0.5")
    settings = Settings()
    assert settings.database_url == "postgresql+psycopg://user@db/crosscheck"
    assert settings.index_dir == tmp_path / "idx"
    assert settings.model == str(model_dir)
    assert settings.port == 9000
    assert settings.log_level == "WARNING"
    assert settings.related_threshold == pytest.approx(0.5)


@pytest.mark.parametrize("name", ["REQUEST_DEADLINE_SECONDS", "HTTP_MAX_CONNECTIONS"])
def test_an_optional_bound_set_empty_is_no_bound(
    monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.setenv(f"CROSSCHECK_{name}", "")
    assert getattr(Settings(), name.lower()) is None


def test_unprefixed_environment_variables_are_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORT", "9000")
    monkeypatch.setenv("DATABASE_URL", "postgresql://elsewhere/db")
    settings = Settings()
    assert settings.port == 8000
    assert settings.database_url == "sqlite:///./var/crosscheck.db"


def test_dotenv_file_in_working_directory_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("CROSSCHECK_PORT=8123\n")
    assert Settings().port == 8123


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("database_url", "mysql://x"),
        ("model", "/definitely/not/a/model/folder"),
        ("port", 70000),
        ("port", 0),
        ("log_level", "loud"),
        ("encode_batch_size", 0),
        ("default_top_k", 101),
        ("related_threshold", 1.5),
        ("vector_backend", "chroma"),
        ("vector_database_url", "sqlite:///vectors.db"),
        ("pgvector_ef_search", 0),
    ],
)
def test_invalid_values_fail_naming_the_field(field: str, value: object) -> None:
    with pytest.raises(ValidationError) as caught:
        Settings(**{field: value})
    assert _error_fields(caught.value) == [field]


@pytest.mark.parametrize(
    ("name", "value", "field"),
    [
        ("CROSSCHECK_DATABASE_URL", "mysql://x", "database_url"),
        ("CROSSCHECK_PORT", "70000", "port"),
        ("CROSSCHECK_LOG_LEVEL", "loud", "log_level"),
        ("CROSSCHECK_MODEL", "/definitely/not/a/model/folder", "model"),
    ],
)
def test_invalid_environment_values_fail_naming_the_field(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, field: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError) as caught:
        Settings()
    assert _error_fields(caught.value) == [field]


def test_model_error_names_the_missing_folder() -> None:
    with pytest.raises(ValidationError, match="does not exist"):
        Settings(model="/definitely/not/a/model/folder")


def test_existing_model_folder_is_accepted(tmp_path: Path) -> None:
    assert Settings(model=str(tmp_path)).model == str(tmp_path)


@pytest.mark.parametrize(
    "url", ["sqlite:///tmp/x.db", "sqlite://", "postgresql+psycopg://postgres@localhost/db"]
)
def test_supported_database_urls_are_accepted(url: str) -> None:
    assert Settings(database_url=url).database_url == url


@pytest.mark.parametrize(
    ("given", "expected"),
    [("debug", "DEBUG"), ("Info", "INFO"), ("WARNING", "WARNING"), ("error", "ERROR")],
)
def test_log_level_is_case_insensitive(given: str, expected: str) -> None:
    assert Settings(log_level=given).log_level == expected


@pytest.mark.parametrize("port", [1, 65535])
def test_port_bounds_are_inclusive(port: int) -> None:
    assert Settings(port=port).port == port


def test_empty_stance_model_dir_means_rules_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CROSSCHECK_STANCE_MODEL_DIR", "")
    monkeypatch.setenv("CROSSCHECK_NLI_MODEL", " ")
    settings = Settings()
    assert settings.stance_model_dir is None and settings.nli_model is None


def test_pgvector_uses_the_claims_database_unless_given_its_own(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    claims = "postgresql+psycopg://postgres@db/claims"
    monkeypatch.setenv("CROSSCHECK_VECTOR_BACKEND", "pgvector")
    monkeypatch.setenv("CROSSCHECK_DATABASE_URL", claims)
    assert Settings().vector_url == claims
    monkeypatch.setenv("CROSSCHECK_VECTOR_DATABASE_URL", "postgresql+psycopg://postgres@vec/v")
    assert Settings().vector_url == "postgresql+psycopg://postgres@vec/v"
    monkeypatch.setenv("CROSSCHECK_VECTOR_DATABASE_URL", "")
    assert Settings().vector_url == claims


def test_pgvector_beside_sqlite_needs_a_postgresql_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CROSSCHECK_VECTOR_BACKEND", "pgvector")
    with pytest.raises(ValidationError, match="CROSSCHECK_VECTOR_DATABASE_URL"):
        Settings()
    monkeypatch.setenv("CROSSCHECK_VECTOR_DATABASE_URL", "postgresql+psycopg://postgres@vec/v")
    settings = Settings()
    assert settings.database_url.startswith("sqlite")
    assert settings.vector_url == "postgresql+psycopg://postgres@vec/v"


def test_model_languages_are_read_as_a_comma_list(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().model_languages == ["en"]
    monkeypatch.setenv("CROSSCHECK_MODEL_LANGUAGES", "EN, de")
    assert Settings().model_languages == ["en", "de"]


@pytest.mark.parametrize("value", ["", "english", "e1", " , "])
def test_bad_model_languages_fail_naming_the_field(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("CROSSCHECK_MODEL_LANGUAGES", value)
    with pytest.raises(ValidationError) as failure:
        Settings()
    assert _error_fields(failure.value) == ["model_languages"]
