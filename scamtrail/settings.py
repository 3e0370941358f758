"""One settings object for every process, built once by the CLI and passed down.

Sources, highest priority first: keyword arguments, environment variables ``SCAMTRAIL_*`` (nested
sections with ``__``, e.g. ``SCAMTRAIL_KAFKA__PARTITIONS=6``), a TOML file (``SCAMTRAIL_CONFIG`` or
``<home>/scamtrail.toml``), defaults. Library code never reads ``os.environ``; secrets are
``SecretStr`` and never logged.

Backends are chosen by URL, never by code edits:

- ``SCAMTRAIL_BUS``: ``embedded:///path/to/bus.db`` (default ``<home>/bus.db``) or
  ``kafka://host:9092[,host2:9092]``;
- ``SCAMTRAIL_STORE``: ``sqlite:///path/to/store.db`` (default ``<home>/store.db``) or
  ``elasticsearch+http(s)://user:pass@host:9200`` / ``opensearch+http(s)://...``.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from scamtrail.errors import ConfigError


class KafkaSettings(BaseModel):
    """Kafka bus options (used when ``bus`` is a ``kafka://`` URL)."""

    model_config = ConfigDict(frozen=True)

    partitions: int = Field(3, ge=1, description="partitions per topic created on start")
    replication_factor: int = Field(1, ge=1)
    #: lz4: about half gzip's client CPU per message (kafka-python compresses in the stage's
    #: process); the ``lz4`` package is a dependency. gzip, snappy, zstd or none also work.
    compression: str | None = "lz4"
    security_protocol: str = "PLAINTEXT"
    sasl_mechanism: str | None = None
    sasl_username: str | None = None
    sasl_password: SecretStr | None = None
    ssl_cafile: str | None = None

    def security(self) -> dict[str, object]:
        """kafka-python client options for the configured security protocol."""
        opts: dict[str, object] = {"security_protocol": self.security_protocol}
        if self.sasl_mechanism:
            opts["sasl_mechanism"] = self.sasl_mechanism
            opts["sasl_plain_username"] = self.sasl_username
            if self.sasl_password is not None:
                opts["sasl_plain_password"] = self.sasl_password.get_secret_value()
        if self.ssl_cafile:
            opts["ssl_cafile"] = self.ssl_cafile
        return opts


class ExtractSettings(BaseModel):
    """Extract-stage options."""

    model_config = ConfigDict(frozen=True)

    region: str = Field("IN", description="default region for phone numbers without +CC")
    model_path: str | None = Field(None, description="a trained model directory; default bundled")
    batch_size: int = Field(256, ge=1)
    review_below: float | None = Field(
        None,
        ge=0,
        le=1,
        description="an enriched record whose calibrated top score is below this gets "
        "needs_review=true; default: the threshold shipped with the model",
    )


class StageSettings(BaseModel):
    """Consumer-stage options shared by ``process`` and ``index``."""

    model_config = ConfigDict(frozen=True)

    batch_size: int = Field(500, ge=1, description="messages per poll in process")
    index_batch_size: int = Field(
        2000,
        ge=1,
        description="messages per poll in index: a SQLite commit rewrites every index page the "
        "batch's identifiers touch, so a larger batch shares those pages among more complaints",
    )
    poll_timeout_s: float = Field(0.2, gt=0)
    batch_wait_s: float = Field(
        0.02,
        ge=0,
        description="how long a batch that is not full yet waits for more messages (0: handled "
        "as polled): at a steady rate, fewer and fuller batches, whose fixed cost (store "
        "requests, transactions) is shared by more messages",
    )
    batch_max_bytes: int = Field(
        8_000_000, ge=1, description="a batch stops waiting for more once its values hold this"
    )
    max_attempts: int = Field(3, ge=1, description="tries before a record goes to the DLQ")
    alert_sweep_s: float = Field(
        5.0,
        gt=0,
        description="seconds between the index stage's sweeps of the alert outbox (alerts a "
        "batch raises are published at once; the sweep catches the rest, e.g. after a crash)",
    )


class ApiSettings(BaseModel):
    """REST API options (``scamtrail serve``)."""

    model_config = ConfigDict(frozen=True)

    host: str = "127.0.0.1"
    port: int = Field(8080, ge=1, le=65535)
    rate_per_s: float = Field(20.0, gt=0, description="requests per second per API key")
    burst: int = Field(60, ge=1, description="short bursts allowed above the rate")


class RiskSettings(BaseModel):
    """How risk scores are computed (``scamtrail.index.risk``): decay and tier thresholds."""

    model_config = ConfigDict(frozen=True)

    half_life_days: float = Field(
        90.0, gt=0, description="days after the last sighting at which a score has halved"
    )
    false_positive_score: float = Field(
        5.0, ge=0, le=100, description="the score an identifier marked false positive drops to"
    )
    medium: float = Field(25.0, ge=0, le=100, description="lowest score of tier medium")
    high: float = Field(50.0, ge=0, le=100, description="lowest score of tier high")
    very_high: float = Field(75.0, ge=0, le=100, description="lowest score of tier very_high")


class WebhookSettings(BaseModel):
    """Delivery of alerts to the webhook at ``Settings.alert_webhook_url`` (Slack-compatible)."""

    model_config = ConfigDict(frozen=True)

    timeout_s: float = Field(5.0, gt=0, description="per request")
    max_retries: int = Field(5, ge=0, description="tries after the first before giving up")
    backoff_s: float = Field(0.5, gt=0, description="first retry delay; doubles each time")
    max_backoff_s: float = Field(60.0, gt=0)
    queue_size: int = Field(1000, ge=1, description="alerts waiting; more are dropped")


class AlertSettings(BaseModel):
    """Alert rules of the index stage (``scamtrail.index.alerts``) and where alerts go."""

    model_config = ConfigDict(frozen=True)

    kinds: tuple[str, ...] = Field(("phone", "upi"), description="identifier kinds alerted on")
    repeat_levels: tuple[int, ...] = Field(
        (2, 5, 10), description="complaint counts that raise a repeat alert"
    )
    velocity_count: int = Field(
        3, ge=0, description="complaints within velocity_hours that raise a velocity alert; 0=off"
    )
    velocity_hours: float = Field(24.0, gt=0)
    partner_hit: bool = Field(True, description="alert when a partner agency shared the identifier")
    linked: bool = Field(
        True, description="alert when a new identifier is named beside a repeat identifier"
    )
    allowlist_file: Path | None = Field(
        None, description="extra allow-list entries (JSON, like scamtrail/data/allowlist.json)"
    )
    webhook: WebhookSettings = Field(default_factory=WebhookSettings)


class Settings(BaseSettings):
    """Everything configurable about scamtrail. See the module docstring for the sources."""

    model_config = SettingsConfigDict(
        env_prefix="SCAMTRAIL_",
        env_nested_delimiter="__",
        frozen=True,
        extra="ignore",
    )

    home: Path = Field(
        default_factory=lambda: Path.home() / ".scamtrail",
        description="holds the embedded bus, the store, keys and state",
    )
    bus: str | None = Field(None, description="bus URL; default embedded:///<home>/bus.db")
    store: str | None = Field(None, description="store URL; default sqlite:///<home>/store.db")
    store_api_key: SecretStr | None = Field(
        None, description="search-engine API key (sent as `Authorization: ApiKey ...`)"
    )
    store_ca_file: str | None = Field(
        None, description="CA bundle that signs the search engine's TLS certificate"
    )
    topic_prefix: str = "scamtrail."
    index_prefix: str = "scamtrail-"
    agency: str = Field(
        "local",
        min_length=1,
        max_length=200,
        description="our agency's name: the producer named in exported feeds",
    )
    log_level: str = "INFO"
    log_format: str = Field("json", description="json or text")
    metrics_port: int | None = None
    x_bearer_token: SecretStr | None = None
    x_api_url: str = "https://api.x.com"
    x_handles: tuple[str, ...] = Field((), description="X handles whose mentions are complaints")
    x_hashtags: tuple[str, ...] = Field((), description="hashtags to watch on X")
    alert_webhook_url: SecretStr | None = None
    kafka: KafkaSettings = Field(default_factory=KafkaSettings)
    extract: ExtractSettings = Field(default_factory=ExtractSettings)
    stage: StageSettings = Field(default_factory=StageSettings)
    api: ApiSettings = Field(default_factory=ApiSettings)
    risk: RiskSettings = Field(default_factory=RiskSettings)
    alerts: AlertSettings = Field(default_factory=AlertSettings)

    @field_validator("home", mode="before")
    @classmethod
    def _expand_home(cls, value: Any) -> Any:
        return Path(value).expanduser() if isinstance(value, str | Path) else value

    @property
    def bus_url(self) -> str:
        """The bus URL, defaulting to the embedded log under ``home``."""
        return self.bus or f"embedded:///{(self.home / 'bus.db').as_posix().lstrip('/')}"

    @property
    def store_url(self) -> str:
        """The store URL, defaulting to SQLite under ``home``."""
        return self.store or f"sqlite:///{(self.home / 'store.db').as_posix().lstrip('/')}"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, _TomlSource(settings_cls), file_secret_settings)


class _TomlSource(PydanticBaseSettingsSource):
    """Settings from a TOML file: ``SCAMTRAIL_CONFIG`` or ``<home>/scamtrail.toml`` if present."""

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        path_text = os.environ.get("SCAMTRAIL_CONFIG")
        if path_text:
            path = Path(path_text).expanduser()
            if not path.is_file():
                raise ConfigError(f"SCAMTRAIL_CONFIG names {path}, which is not a file")
        else:
            home = Path(os.environ.get("SCAMTRAIL_HOME", Path.home() / ".scamtrail")).expanduser()
            path = home / "scamtrail.toml"
            if not path.is_file():
                return {}
        try:
            return tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read settings file {path}: {exc}") from exc


def load_settings(**overrides: Any) -> Settings:
    """Build the settings from the environment, the TOML file and ``overrides``."""
    try:
        return Settings(**overrides)
    except ConfigError:
        raise
    except ValueError as exc:
        raise ConfigError(f"invalid settings: {exc}") from exc
