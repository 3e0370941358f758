"""Log lines carry stage and complaint ids and never a secret, in both formats."""

from __future__ import annotations

import io
import json
import logging

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import SecretStr

from scamtrail import logs
from scamtrail.settings import load_settings


@pytest.fixture(params=["json", "text"])
def captured(request: pytest.FixtureRequest):
    """Logs through the handler ``setup_logging`` installs, written to a buffer."""
    logs.setup_logging("DEBUG", request.param)
    handler = logging.getLogger("scamtrail").handlers[0]
    buffer = io.StringIO()
    handler.setStream(buffer)  # type: ignore[attr-defined]
    yield request.param, buffer
    logging.getLogger("scamtrail").handlers.clear()


def test_stage_and_complaint_ids_are_fields_of_the_line(captured):
    fmt, out = captured
    logging.getLogger("scamtrail.runtime.stages").warning(
        "dead-lettered", extra={"stage": "process", "complaint_id": "x:1852", "count": 3}
    )
    line = out.getvalue().strip()
    if fmt == "json":
        entry = json.loads(line)
        assert entry["stage"] == "process" and entry["complaint_id"] == "x:1852"
        assert entry["count"] == 3 and entry["msg"] == "dead-lettered"
    else:
        assert "stage=process" in line and "complaint_id=x:1852" in line and "count=3" in line


SECRETS = {
    "url password": ("https://analyst:Hunter2pass@search.example:9200", "Hunter2pass"),
    "kafka sasl url": ("kafka://svc:S3cr3tSasl@broker:9093", "S3cr3tSasl"),
    "bearer": ("Authorization: Bearer AAAAAAAAAAAAAAAAAAAAAMLheAAAAAAA0%2BuSeid", "MLheAAAA"),
    "password pair": ("sasl_plain_password=pa55word!", "pa55word!"),
    "json pair": ('{"api_key": "k-123456789"}', "k-123456789"),
    "api key": ("key st_0a1b2c3d_Zq9v8X7w6U5t4S3r2Q1p0OnMlK was used", "Zq9v8X7w6U5t4S3r2Q1p"),
    "opaque token": ("token in text: a8F3kLq0Zx7Pw2Rt9Yv4Mn6Bc1Dd5Ee8Gh", "a8F3kLq0Zx7Pw2Rt9Yv4"),
}


@pytest.mark.parametrize("case", SECRETS)
def test_secrets_in_messages_fields_and_exceptions_are_masked(captured, case):
    _, out = captured
    text, secret = SECRETS[case]
    log = logging.getLogger("scamtrail.bus")
    log.warning("connect %s", text, extra={"stage": "bus", "error": text, "where": [text]})
    try:
        raise RuntimeError(f"failed: {text}")
    except RuntimeError:
        log.exception("boom", extra={"stage": "bus"})
    written = out.getvalue()
    assert secret not in written
    assert "***" in written


def test_what_is_not_a_secret_is_left_alone(captured):
    _, out = captured
    plain = (
        "complaint x:1852999123456789012 from https://api.x.com/2/tweets/search/recent, "
        "number +919876543210, upi fraud@okaxis, sha256 "
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
    )
    logging.getLogger("scamtrail.runtime.stages").info(
        plain, extra={"stage": "index", "query": plain}
    )
    assert out.getvalue().count(plain) == 2


def test_fields_named_like_secrets_are_masked_whole_and_secretstr_never_shows(captured):
    _, out = captured
    logging.getLogger("scamtrail.cli").info(
        "settings",
        extra={"password": "plainpw", "token": "abc", "webhook": SecretStr("https://hooks/x")},
    )
    written = out.getvalue()
    assert "plainpw" not in written and "abc" not in written and "hooks/x" not in written


def test_configured_secrets_are_masked_wherever_they_appear(captured, monkeypatch):
    _, out = captured
    monkeypatch.setattr(logs, "_registered", set())  # this test's secrets stay in this test
    monkeypatch.setenv("SCAMTRAIL_X_BEARER_TOKEN", "short-tok")
    monkeypatch.setenv("SCAMTRAIL_KAFKA__SASL_PASSWORD", "plain")
    settings = load_settings()
    found = [s.get_secret_value() for s in logs.secrets_of(settings)]
    assert set(found) >= {"short-tok", "plain"}
    for secret in logs.secrets_of(settings):
        logs.register_secret(secret)
    logging.getLogger("scamtrail.ingest").info("retrying with short-tok and plain words")
    written = out.getvalue()
    assert "short-tok" not in written and " plain " not in written


_FRAGMENTS = [
    "replay:bench-00000012", " ", "x:1852000000000000001", "https://", "kafka://", "user",
    ":", "@", "host", "Bearer ", "BASIC ", "token", "Token: ", "abcDEF123456", "password=",
    "API-KEY", "apikey", "Credentials", "st_0123abcd_", "A1b2C3d4E5f6G7h8J9k0", "/", ".", "=",
    "%", "-", "_", "PWD", "secret", "+919876543210", "\u0915",
]  # fmt: skip


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=12).map("".join))
def test_redact_skips_only_values_no_pattern_can_match(text):
    # the reference: every substitution, always
    expected = text
    for secret in sorted(logs._registered, key=len, reverse=True):
        expected = expected.replace(secret, logs.MASK)
    for pattern, replacement in (
        (logs._URL_PASSWORD, rf"\1:{logs.MASK}@"),
        (logs._BEARER, rf"\1\2{logs.MASK}"),
        (logs._PAIR, rf"\1{logs.MASK}"),
        (logs._API_KEY, rf"\1{logs.MASK}"),
        (logs._OPAQUE, logs.MASK),
    ):
        expected = pattern.sub(replacement, expected)
    assert logs.redact(text) == expected
