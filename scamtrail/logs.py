"""Logging set-up: JSON lines (default) or key=value text, on stderr, never a secret.

Call sites pass context as ``extra={"stage": ..., "complaint_id": ..., "count": ...}``; the
formatters put every such field into the line.

Secrets are kept out by :class:`SecretRedactor`, a filter on the handler that rewrites each record
before it is formatted: passwords in URLs (``https://user:pass@host``, ``kafka``/``sasl`` URLs)
become ``user:***@``, ``Bearer <token>`` becomes ``Bearer ***``, ``password=...``/``token: ...``
style pairs keep only their name, scamtrail API keys keep only their key id, long random-looking
tokens become ``***``, and the exact values registered with :func:`register_secret` (the settings'
``SecretStr`` fields) are replaced wherever they appear. Extra fields whose *name* says secret
(``password``, ``token``, ``api_key``, ...) are masked whole. ``SecretStr`` values print as
``**********`` by themselves.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, SecretStr

_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


MASK = "***"
_URL_PASSWORD = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://[^\s/:@]*):([^\s/@]+)@")
_BEARER = re.compile(r"(?i)\b(bearer|basic|token)(\s+)[A-Za-z0-9._~+/=%-]{6,}")
_PAIR = re.compile(
    r"(?i)\b((?:[a-z_]*_)?(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|credentials?)"
    r"[\"']?\s*[:=]\s*[\"']?)([^\s\"',;&}]+)"
)
_API_KEY = re.compile(r"\b(st_[0-9a-f]{8}_)[A-Za-z0-9_-]{16,}")
# 32+ characters mixing upper case, lower case and digits: an opaque token, not an id or a hash.
_OPAQUE = re.compile(
    r"(?<![A-Za-z0-9%_-])(?=[A-Za-z0-9%_.+/=-]*[A-Z])(?=[A-Za-z0-9%_.+/=-]*[a-z])"
    r"(?=[A-Za-z0-9%_.+/=-]*[0-9])[A-Za-z0-9%_.+/=-]{32,}"
)
_SECRET_NAME = re.compile(r"(?i)(password|passwd|secret|token|api_?key|authorization|credential)")
# Text one of the patterns above needs before it can match: when a value has none of it (an
# id, a word, a number), it is returned without running the five substitutions. Log lines carry
# lists of complaint ids, so this saves ~30 µs a value.
_NEEDED_WORDS = ("bearer", "basic", "token", "pass", "pwd", "secret", "api", "credential")
_OPAQUE_RUN = re.compile(r"[A-Za-z0-9%_.+/=-]{32}")


def _may_hold_a_secret(text: str) -> bool:
    if "://" in text or "st_" in text:
        return True
    low = text.lower()
    if any(word in low for word in _NEEDED_WORDS):
        return True
    return len(text) >= 32 and _OPAQUE_RUN.search(text) is not None


_registered: set[str] = set()
_registered_longest_first: list[str] = []


def register_secret(value: str | SecretStr | None) -> None:
    """Mask this exact value (e.g. a configured password or token) in every log line."""
    text = value.get_secret_value() if isinstance(value, SecretStr) else value
    if text and len(text) >= 4 and text not in _registered:
        _registered.add(text)
        _registered_longest_first[:] = sorted(_registered, key=len, reverse=True)


def secrets_of(model: BaseModel) -> list[SecretStr]:
    """Every ``SecretStr`` value set in a settings model and its nested sections."""
    found: list[SecretStr] = []
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, SecretStr):
            found.append(value)
        elif isinstance(value, BaseModel):
            found.extend(secrets_of(value))
    return found


def redact(text: str) -> str:
    """``text`` with URL passwords, bearer tokens, secret pairs, keys and registered values masked."""
    for secret in _registered_longest_first:
        if secret in text:
            text = text.replace(secret, MASK)
    if not _may_hold_a_secret(text):
        return text
    text = _URL_PASSWORD.sub(rf"\1:{MASK}@", text)
    text = _BEARER.sub(rf"\1\2{MASK}", text)
    text = _PAIR.sub(rf"\1{MASK}", text)
    text = _API_KEY.sub(rf"\1{MASK}", text)
    return _OPAQUE.sub(MASK, text)


def _redact_value(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {
            k: MASK if _SECRET_NAME.search(str(k)) else _redact_value(v) for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [_redact_value(v) for v in value]
    if isinstance(value, int | float | bool | SecretStr) or value is None:
        return value
    return redact(str(value))


class SecretRedactor(logging.Filter):
    """Rewrites a record so no secret reaches the output (see the module docstring)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact the message, the extra fields and the exception text; always lets it through."""
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, None
        for key in list(_fields(record)):
            value = getattr(record, key)
            setattr(record, key, MASK if _SECRET_NAME.search(key) else _redact_value(value))
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


def _fields(record: logging.LogRecord) -> dict[str, object]:
    return {k: v for k, v in vars(record).items() if k not in _STANDARD}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ts, level, logger, msg and the record's extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        line.update(_fields(record))
        if record.exc_text:
            line["exc"] = record.exc_text
        elif record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """``LEVEL logger: msg key=value ...`` for people at a terminal."""

    def format(self, record: logging.LogRecord) -> str:
        extras = " ".join(f"{k}={v}" for k, v in _fields(record).items())
        text = f"{record.levelname:<7} {record.name}: {record.getMessage()}"
        text = f"{text} {extras}".rstrip()
        if record.exc_text or record.exc_info:
            text += "\n" + (record.exc_text or self.formatException(record.exc_info))
        return text


def setup_logging(level: str = "INFO", fmt: str = "json", secrets: Iterable[Any] = ()) -> None:
    """Route scamtrail's logs to stderr in the chosen format, with ``secrets`` masked."""
    for secret in secrets:
        register_secret(secret)
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(SecretRedactor())
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    root = logging.getLogger("scamtrail")
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    root.propagate = False
