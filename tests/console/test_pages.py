"""The console's pages (server side): what they show, to whom, and the verdict form."""

from __future__ import annotations

import html
import json
import re

from scamtrail.console.pages import PER_PAGE
from tests.conftest import enriched
from tests.console.conftest import HINDI, UPI, A, csrf_of, sign_in


def _graph(page: str) -> dict:
    found = re.search(r'data-graph="([^"]*)"', page)
    assert found, "no ring graph on the page"
    return json.loads(html.unescape(found.group(1)))


def test_complaint_texts_are_shown_as_text(served):
    sign_in(served.client, served.tokens["investigator"])
    for page in ("/console/search?q=called", "/console/identifier?value=9876543210"):
        body = served.client.get(page).text
        assert "&lt;img src=x onerror=alert(1)&gt;" in body, page
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in body, page
        assert "<img" not in body and "<script>" not in body
    # a search for markup is a search for its words, shown back escaped
    body = served.client.get("/console/search", params={"q": "<script>alert(1)</script>"}).text
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in body


def test_devanagari_is_kept_as_written(served):
    sign_in(served.client, served.tokens["investigator"])
    body = served.client.get("/console/search", params={"q": "ओटीपी"}).text
    assert HINDI in body
    assert 'lang="en"' in body and 'charset="utf-8"' in body


def test_search_filters_and_pages(served):
    store = served.store
    store.write(
        [
            enriched(
                f"x:p{i:02d}",
                f"page test otp {i}",
                created_at=f"2026-04-{1 + i % 28:02d}T10:00:00Z",
            )
            for i in range(45)
        ]
        + [
            enriched(
                "x:t1", "page test lorry", category="traffic", created_at="2026-04-10T10:00:00Z"
            ).model_copy(update={"source": "intake", "needs_review": True})
        ]
    )
    sign_in(served.client, served.tokens["investigator"])
    get = served.client.get

    def ids(**params) -> list[str]:
        r = get("/console/search", params=params)
        assert r.status_code == 200, r.text
        return re.findall(r'<span class="cid">([^<]+)</span>', r.text)

    first, second, third = (ids(q="page test", page=p) for p in (1, 2, 3))
    assert len(first) == len(second) == PER_PAGE and len(third) == 46 - 2 * PER_PAGE
    assert not set(first) & set(second) and not set(second) & set(third)
    page1 = get("/console/search", params={"q": "page test"}).text
    assert 'rel="next"' in page1 and 'rel="prev"' not in page1
    assert 'rel="next"' not in get("/console/search", params={"q": "page test", "page": 3}).text
    assert ids(q="page test", category="traffic") == ["x:t1"]
    assert ids(q="page test", source="intake") == ["x:t1"]
    assert ids(q="page", needs_review="yes") == ["x:t1"]
    # "to" is inclusive of its day
    assert set(ids(q="page test", since="2026-04-10", until="2026-04-10")) == {
        "x:t1",
        "x:p09",
        "x:p37",
    }
    bad = get("/console/search", params={"since": "10/04/2026"})
    assert bad.status_code == 422 and "from: a date such as 2026-03-01" in bad.text


def test_dossier_shows_the_identifier_whole(served):
    sign_in(served.client, served.tokens["investigator"])
    body = served.client.get("/console/identifier", params={"value": "098765 43210"}).text
    assert f'id="norm-value">{A}<' in body
    for written in ("98765 43210", "+91-98765-43210", "9876543210"):
        assert f'<code class="written">{written}</code>' in body
    assert 'id="complaint-count">4<' in body
    assert re.search(r'id="risk-score">\d+(\.\d)?<', body)
    assert "<td>complaints</td>" in body  # a risk factor
    bars = re.findall(r'<rect class="bar"[^>]*><title>([^<]+)</title>', body)
    assert bars[0] == "2026-03-01: 1" and bars[-1] == "2026-03-06: 1" and len(bars) == 6
    graph = _graph(body)
    assert {(n["kind"], n["value"]) for n in graph["nodes"]} == {
        ("phone", A),
        ("upi", UPI),
        ("phone", "+919123456789"),
    }
    assert graph["nodes"][0]["ring"] == 0 and len(graph["edges"]) == 3
    assert 'id="links"' in body and "upi kyc@ybl" in body
    assert "repeat" in body  # its alert
    assert len(re.findall(r'<li class="complaint">', body)) == 4


def test_dossier_of_an_unknown_or_unreadable_value(served):
    sign_in(served.client, served.tokens["investigator"])
    unknown = served.client.get("/console/identifier", params={"value": "+91 99999 00000"})
    assert unknown.status_code == 200 and 'id="complaint-count">0<' in unknown.text
    bad = served.client.get("/console/identifier", params={"value": "hello there"})
    assert bad.status_code == 422 and 'class="error"' in bad.text


def test_marking_a_false_positive_and_clearing_it(served):
    client = served.client
    sign_in(client, served.tokens["investigator"])
    page = client.get("/console/identifier", params={"value": A}).text
    form = {"csrf": csrf_of(page), "kind": "phone", "value": A, "action": "false_positive"}
    assert (
        client.post(
            "/console/identifier/mark", data={**form, "reason": "x", "csrf": "no"}
        ).status_code
        == 403
    )
    assert client.post("/console/identifier/mark", data=form).status_code == 422  # no reason
    assert served.store.marks([("phone", A)]) == {}
    after = client.post("/console/identifier/mark", data={**form, "reason": "the bank's IVR"})
    assert after.status_code == 200 and after.url.path == "/console/identifier"
    mark = served.store.marks([("phone", A)])[("phone", A)]
    assert mark.reason == "the bank's IVR" and "investigator agency" in mark.marked_by
    assert "false_positive" in after.text and 'id="clear-verdict"' in after.text
    cleared = client.post("/console/identifier/mark", data={**form, "action": "clear"})
    assert cleared.status_code == 200 and served.store.marks([("phone", A)]) == {}
    audited = [e for e in served.keys.audit_log(100) if e["endpoint"] == "/console/mark"]
    assert [(e["status"], e["values"]) for e in reversed(audited)] == [
        (422, [A]),
        (200, [A]),
        (200, [A]),
    ]


def test_a_partner_sees_no_complainant_and_no_complaint_text(served):
    client = served.client
    sign_in(client, served.tokens["partner"])
    assert (
        client.get("/console/", follow_redirects=False).headers["location"] == "/console/registry"
    )
    assert client.get("/console/search?q=otp").status_code == 403
    pages = [
        client.get("/console/identifier", params={"value": A}),
        client.get("/console/alerts"),
        client.get("/console/alerts.json"),
        client.get("/console/registry"),
    ]
    for r in pages:
        assert r.status_code == 200
        for secret in (
            "asked OTP",
            "onerror",
            "ओटीपी",
            "asha",
            "ravi",
            "x:1",
            "x:2",
            "complaint_ids",
        ):
            assert secret not in r.text, (r.url, secret)
    dossier = pages[0].text
    assert 'id="complaint-count">4<' in dossier and 'id="risk-score"' in dossier
    assert 'id="timeline"' not in dossier and 'class="complaint"' not in dossier
    assert 'action="/console/identifier/mark"' not in dossier
    page = client.get("/console/registry").text
    r = client.post(
        "/console/identifier/mark",
        data={"csrf": csrf_of(page), "kind": "phone", "value": A, "action": "clear"},
    )
    assert r.status_code == 403
    assert json.loads(pages[2].text)["alerts"][0]["identifier"]["value"] == A


def test_registry_top_repeats_and_new_repeats_today(served):
    sign_in(served.client, served.tokens["admin"])
    body = served.client.get("/console/registry").text
    top = body.split('id="top"')[1]
    assert f"phone {A}" in top and f"upi {UPI}" in top
    assert f"phone {A}" in body.split('id="new-today"')[1].split("</ul>")[0]
    upis = served.client.get("/console/registry", params={"kind": "upi"}).text
    assert f"phone {A}" not in upis.split('id="top"')[1] and f"upi {UPI}" in upis
    traffic = served.client.get("/console/registry", params={"category": "traffic"}).text
    assert "No repeat identifier." in traffic and "No identifier became a repeat today." in traffic


def test_alerts_feed_json_is_newest_first(served):
    from tests.conftest import repeat_alert

    sign_in(served.client, served.tokens["investigator"])
    served.store.record_alerts([repeat_alert(A, level=5)])
    alerts = served.client.get("/console/alerts.json").json()["alerts"]
    assert [a["level"] for a in alerts] == [5, 2]
    assert alerts[0]["complaint_ids"] == ["x:1", "x:2"]  # investigators see what they cite
