"""Settings: environment, TOML file, URLs, secrets never shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from scamtrail.index import open_store
from scamtrail.index.sqlite import SqliteStore

from scamtrail.bus import open_bus
from scamtrail.bus.embedded import EmbeddedBus
from scamtrail.errors import ConfigError
from scamtrail.settings import load_settings


def test_defaults_live_under_home(home: Path):
    s = load_settings()
    assert s.home == home
    assert s.bus_url == f"embedded:///{(home / 'bus.db').as_posix().lstrip('/')}"
    assert s.store_url.endswith("store.db")
    with open_bus(s) as bus, open_store(s) as store:
        assert isinstance(bus, EmbeddedBus) and bus.path == home / "bus.db"
        assert isinstance(store, SqliteStore) and store.path == home / "store.db"


def test_environment_and_nested_sections(home: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SCAMTRAIL_BUS", "kafka://k1:9092,k2:9092")
    monkeypatch.setenv("SCAMTRAIL_KAFKA__PARTITIONS", "6")
    monkeypatch.setenv("SCAMTRAIL_STAGE__BATCH_SIZE", "50")
    s = load_settings()
    assert s.bus_url == "kafka://k1:9092,k2:9092"
    assert s.kafka.partitions == 6
    assert s.stage.batch_size == 50


def test_toml_file_and_env_priority(home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    cfg = tmp_path / "scamtrail.toml"
    cfg.write_text('topic_prefix = "pune."\n[extract]\nregion = "NP"\n[stage]\nbatch_size = 7\n')
    monkeypatch.setenv("SCAMTRAIL_CONFIG", str(cfg))
    monkeypatch.setenv("SCAMTRAIL_STAGE__BATCH_SIZE", "9")
    s = load_settings()
    assert s.topic_prefix == "pune."
    assert s.extract.region == "NP"
    assert s.stage.batch_size == 9


def test_missing_config_file_is_a_clear_error(home: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SCAMTRAIL_CONFIG", "/nonexistent/scamtrail.toml")
    with pytest.raises(ConfigError, match="not a file"):
        load_settings()


def test_secrets_are_not_shown(home: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SCAMTRAIL_X_BEARER_TOKEN", "AAAA-very-secret")
    s = load_settings()
    assert "very-secret" not in repr(s) and "very-secret" not in str(s.model_dump())
    assert s.x_bearer_token is not None
    assert s.x_bearer_token.get_secret_value() == "AAAA-very-secret"


@pytest.mark.parametrize("url", ["redis://x", "kafka://", "file:///x"])
def test_unknown_bus_urls_are_config_errors(home: Path, monkeypatch: pytest.MonkeyPatch, url: str):
    monkeypatch.setenv("SCAMTRAIL_BUS", url)
    with pytest.raises(ConfigError):
        open_bus(load_settings())


def test_unknown_store_url_is_a_config_error(home: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SCAMTRAIL_STORE", "mysql://x")
    with pytest.raises(ConfigError, match="unknown store URL"):
        open_store(load_settings())
