"""The console over every store backend (SQLite; the search engines with their markers): the
pages read only the Store interface, so each shows the same facts on each."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from fastapi.testclient import TestClient

from scamtrail.api import create_app
from scamtrail.api.keys import KeyStore
from scamtrail.bus.embedded import EmbeddedBus
from tests.conftest import repeat_alert
from tests.console.conftest import UPI, A, console_records, sign_in


def test_every_page_on_every_store(store_factory, tmp_path: Path):
    store = store_factory()
    store.write(console_records())
    store.record_alerts([repeat_alert(A)])
    store.refresh()
    keys = KeyStore(tmp_path / "keys.db")
    bus = EmbeddedBus(tmp_path / "bus.db")
    app = create_app(bus, store, keys, rate=1000, burst=1000)
    try:
        with TestClient(app) as client:
            sign_in(client, keys.create("Pune", "investigator")[1])
            found = client.get("/console/search", params={"q": "kyc"})
            assert re.findall(r'<span class="cid">([^<]+)</span>', found.text) == ["x:2"]
            dossier = client.get("/console/identifier", params={"value": "9876543210"}).text
            assert 'id="complaint-count">4<' in dossier
            assert re.findall(r'<span class="cid">([^<]+)</span>', dossier) == [
                "x:4",
                "x:3",
                "x:2",
                "x:1",
            ]  # newest first
            bars = re.findall(r'<rect class="bar"[^>]*><title>([^<]+)</title>', dossier)
            assert len(bars) == 6 and bars[0] == "2026-03-01: 1"
            assert f"repeat:phone:{A}" not in dossier and "level 2, 2 complaints" in dossier
            graph = re.search(r'data-graph="([^"]*)"', dossier)
            if graph:  # a store with links: the same ring on each
                nodes = json.loads(html.unescape(graph.group(1)))["nodes"]
                assert {n["value"] for n in nodes} == {A, UPI, "+919123456789"}
            alerts = client.get("/console/alerts.json").json()["alerts"]
            assert [a["id"] for a in alerts] == [f"repeat:phone:{A}:2"]
            registry = client.get("/console/registry").text
            assert f"phone {A}" in registry.split('id="top"')[1]
    finally:
        keys.close()
        bus.close()
