"""Sign-in, sessions, CSRF and the security headers of the console (server side)."""

from __future__ import annotations

import re

from scamtrail.console.sessions import PRE_COOKIE, SESSION_COOKIE
from tests.console.conftest import csrf_of, sign_in

PAGES = (
    "/console/search?q=otp",
    "/console/identifier?value=9876543210",
    "/console/alerts",
    "/console/registry",
)


def _audited(served, endpoint: str) -> list[dict]:
    return [e for e in served.keys.audit_log(500) if e["endpoint"] == endpoint]


def test_pages_need_a_session(served):
    for page in PAGES:
        r = served.client.get(page, follow_redirects=False)
        assert r.status_code == 303, page
        assert r.headers["location"].startswith("/console/signin?next=")
    assert served.client.get("/console/alerts.json").status_code == 401
    assert served.client.get("/", follow_redirects=True).url.path == "/console/signin"


def test_sign_in_sets_a_strict_httponly_cookie_that_expires(served):
    r = sign_in(served.client, served.tokens["investigator"], follow=False)
    assert r.status_code == 303 and r.headers["location"] == "/console/"
    cookie = next(c for c in r.headers.get_list("set-cookie") if c.startswith(f"{SESSION_COOKIE}="))
    attrs = {a.strip().split("=")[0].lower(): a for a in cookie.split(";")}
    assert "httponly" in attrs and attrs["samesite"].strip().lower() == "samesite=strict"
    assert 0 < int(attrs["max-age"].split("=")[1]) <= 8 * 3600
    assert served.tokens["investigator"] not in cookie  # the key never goes to the browser
    assert served.client.get("/console/search").status_code == 200
    assert [e["status"] for e in _audited(served, "/console/signin")] == [200]


def test_bad_keys_and_intake_keys_get_no_session(served):
    for token, status in (("st_dead_beef", 401), (served.tokens["intake"], 403)):
        r = sign_in(served.client, token, follow=False)
        assert r.status_code == status
        assert SESSION_COOKIE not in r.cookies
        assert "error" in r.text
    assert served.client.get("/console/search", follow_redirects=False).status_code == 303
    assert sorted(e["status"] for e in _audited(served, "/console/signin")) == [401, 403]


def test_sign_in_without_its_csrf_token_is_refused(served):
    client = served.client
    client.get("/console/signin")  # sets the pre-session cookie
    token = served.tokens["investigator"]
    for data in ({"key": token}, {"key": token, "csrf": "forged"}):
        r = client.post("/console/signin", data=data, follow_redirects=False)
        assert r.status_code == 403, data
        assert SESSION_COOKIE not in r.cookies
    client.cookies.delete(PRE_COOKIE)
    form = client.get("/console/signin")
    client.cookies.delete(PRE_COOKIE)  # a token from a page, no cookie to match it
    r = client.post("/console/signin", data={"key": token, "csrf": csrf_of(form.text)})
    assert r.status_code == 403


def test_sign_out_needs_its_token_and_ends_the_session(served):
    client = served.client
    sign_in(client, served.tokens["investigator"])
    page = client.get("/console/registry")
    session_id = client.cookies.get(SESSION_COOKIE)
    assert client.post("/console/signout", data={"csrf": "nope"}).status_code == 403
    assert client.get("/console/registry").status_code == 200  # still signed in
    r = client.post("/console/signout", data={"csrf": csrf_of(page.text)}, follow_redirects=False)
    assert r.status_code == 303
    client.cookies.set(SESSION_COOKIE, session_id)  # replaying the old cookie
    assert client.get("/console/registry", follow_redirects=False).status_code == 303
    assert [e["status"] for e in _audited(served, "/console/signout")] == [200]


def test_a_revoked_key_ends_its_sessions_at_once(served):
    sign_in(served.client, served.tokens["investigator"])
    assert served.client.get("/console/alerts.json").status_code == 200
    served.keys.revoke(served.tokens["investigator"].split("_")[1])
    assert served.client.get("/console/alerts.json").status_code == 401


def test_every_page_has_a_policy_without_inline_script(served):
    sign_in(served.client, served.tokens["investigator"])
    for page in (*PAGES, "/console/signin", "/console/static/console.js"):
        r = served.client.get(page)
        assert r.status_code == 200, page
        csp = r.headers["content-security-policy"]
        assert "script-src 'self';" in csp and "unsafe-inline" not in csp, csp
        assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
        assert r.headers["x-content-type-options"] == "nosniff"
        if page.endswith(".js"):
            continue
        scripts = re.findall(r"<script\b[^>]*>", r.text)
        assert scripts == ['<script src="/console/static/console.js" defer>'], page
        assert not re.search(r"<[^>]+\son\w+\s*=", r.text), page  # no event handler attributes
        assert " style=" not in r.text  # style-src 'self' would drop inline styles
    # the REST API's own pages keep their headers (Swagger UI needs its own)
    assert "content-security-policy" not in served.client.get("/healthz").headers


def test_redirects_after_sign_in_stay_on_the_console(served):
    client = served.client
    for target, lands in (
        ("//evil.example/console", "/console/"),
        ("https://evil.example/", "/console/"),
        ("/console/alerts", "/console/alerts"),
    ):
        client.cookies.clear()
        form = client.get("/console/signin")
        r = client.post(
            "/console/signin",
            data={"csrf": csrf_of(form.text), "key": served.tokens["admin"], "next": target},
            follow_redirects=False,
        )
        assert r.headers["location"] == lands


def test_the_script_never_writes_html():
    from scamtrail.console.web import HERE

    script = (HERE / "static" / "console.js").read_text(encoding="utf-8")
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script
    assert "eval(" not in script and "document.write" not in script


def test_a_form_posted_after_the_session_ended_starts_over(served):
    r = served.client.post(
        "/console/identifier/mark", data={"csrf": "x", "action": "clear"}, follow_redirects=False
    )
    assert r.status_code == 303 and r.headers["location"] == "/console/signin?next=/console/"
    assert served.store.marks([("phone", "+919876543210")]) == {}


def test_sessions_expire():
    import time

    from scamtrail.console.sessions import SessionStore

    sessions = SessionStore(ttl_s=0.2, max_sessions=2)
    first = sessions.create("st_a_b")
    assert sessions.get(first.id) is first and sessions.get("forged") is None
    time.sleep(0.3)
    assert sessions.get(first.id) is None  # expired
    a, b, c = (sessions.create(f"st_{n}_x") for n in "abc")
    assert sessions.get(a.id) is None and sessions.get(c.id) is c  # the oldest made room
    sessions.end(c.id)
    assert sessions.get(c.id) is None and sessions.get(b.id) is b


def test_signing_in_again_replaces_the_session(served):
    client = served.client
    sign_in(client, served.tokens["investigator"])
    first = client.cookies.get(SESSION_COOKIE)
    sign_in(client, served.tokens["admin"])
    second = client.cookies.get(SESSION_COOKIE)
    assert first and second and first != second
    client.cookies.set(SESSION_COOKIE, first)
    assert client.get("/console/registry", follow_redirects=False).status_code == 303
