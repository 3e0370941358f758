"""URLs in complaint texts: links with a scheme, ``www.`` hosts, bare domains, defanged forms.

:func:`find_url` returns ``("url", value, start, end)`` tuples on the digit-folded text. The
value is refanged (``hxxp`` -> ``http``, ``[.]`` -> ``.``), gets ``http://`` when no scheme was
written, has its scheme and host lowercased and keeps its path as written; trailing punctuation
and unmatched closing brackets are not part of the link.
"""

from __future__ import annotations

import re

from scamtrail.extract.normalize import EMAIL_LOCAL_CHARS, drop_invisible, normalise_url, refang

Found = tuple[str, str, int, int]
_DOT = r"(?:\.|\[\.\]|\(\.\)|\[dot\])"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Top-level domains taken without a scheme, ``www.`` or path ("sbi-kyc.xyz").
COMMON_TLDS = _words(
    """com in net org co io xyz info top online site live club shop store app link me ly gd at
    to cc tk ml ga cf gq pw ws biz us uk ru cn icu buzz fun vip win bid loan cyou sbs today tech
    website space click work pro asia tv ai gov nic edu ac bank care help support services
    digital cloud page best world rest bond cfd lat mobi name one life"""
)
_LABEL = r"[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?"
_SCHEME = r"(?:h(?:tt|xx)ps?|fxp|ftp)(?::|\[:\])//"
_PATH_CHARS = r"[A-Za-z0-9\-._~:/?#\[\]@!$&()*+,;=%]"
_URL_RE = re.compile(
    rf"(?<![A-Za-z0-9@.\-/_])"
    rf"(?:(?P<scheme>{_SCHEME})(?:www{_DOT})?|(?P<www>www{_DOT}))?"
    rf"(?P<host>{_LABEL}(?:{_DOT}{_LABEL})*{_DOT}(?P<tld>[a-z]{{2,24}})"
    rf"|\d{{1,3}}(?:{_DOT}\d{{1,3}}){{3}})"
    rf"(?P<rest>(?::\d{{1,5}})?(?:[/?#]{_PATH_CHARS}*)?)(?![A-Za-z0-9\-@])",
    re.IGNORECASE | re.ASCII,
)
#: A dot between two letters or digits, or inside "[.]", "(.)", "{.}". Starts with the dot, so
#: the regex engine skips to each dot at C speed.
_DOT_ANCHOR_RE = re.compile(
    r"\.(?:(?<=[A-Za-z0-9]\.)(?=[A-Za-z0-9])|(?<=\[\.)(?=\])|(?<=\(\.)(?=\))|(?<=\{\.)(?=\}))"
)
_START = re.Match.start
_DOT_WORD_RE = re.compile(r"\[dot\]|\(dot\)", re.IGNORECASE | re.ASCII)
_DEFANG_TOKENS = ("[.]", "(.)", "{.}", "[dot]", "(dot)")
_HOST_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")
_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
_TRAILING = ".,;:!?'\"*"
_OPENER = {")": "(", "]": "["}


def _trim(text: str, start: int, end: int) -> int:
    """New end after dropping trailing punctuation, and ``)``/``]`` that close nothing."""
    while end > start:
        ch = text[end - 1]
        unmatched = ch in ")]" and text.count(_OPENER[ch], start, end) < text.count(ch, start, end)
        if ch in _TRAILING or unmatched:
            end -= 1
        else:
            break
    return end


def find_url(text: str, dots: list[int] | None = None) -> list[Found]:
    """URLs: with a scheme (``http``, ``https``, defanged ``hxxp``), ``www.`` hosts, and bare
    domains with a path or a common TLD (``bit.ly/x``, ``sbi-kyc.xyz``).

    Works from each dot between two letters or digits (and each defanged dot) outwards: the
    ``dots`` of :func:`scamtrail.extract.scan.scan` when the caller has them.
    """
    out: list[Found] = []
    done = 0
    for dot in _dot_anchors(text) if dots is None else dots:
        if dot < done:
            continue
        start = _host_start(text, dot)
        if start is None:
            continue
        m = _URL_RE.match(text, start)
        if m is None or m.end() <= dot or _ends_in_at_sign(text, m.end()):
            continue
        if m.group("tld") is not None and m.group("scheme") is None and m.group("www") is None:
            if not _bare_domain_ok(m):
                continue
        elif m.group("tld") is None and m.group("scheme") is None:
            continue  # a bare dotted quad is a version or a date, not a link
        end = _trim(text, start, m.end())
        out.append(("url", _url_value(text[start:end]), start, end))
        done = end
    return out


def _ends_in_at_sign(text: str, end: int) -> bool:
    """Is ``text[:end]`` the start of an email's local part ("customer.support" + ".sbi@...")?"""
    n = len(text)
    while end < n and text[end] in EMAIL_LOCAL_CHARS:
        end += 1
    return end < n and text[end] == "@"


def _dot_anchors(text: str) -> list[int]:
    """Offsets of dots that could sit inside a host name, in order."""
    anchors = list(map(_START, _DOT_ANCHOR_RE.finditer(text)))
    if "dot" in text or "DOT" in text or "Dot" in text:
        anchors.extend(m.start() for m in _DOT_WORD_RE.finditer(text))
        anchors.sort()
    return anchors


def _host_start(text: str, dot: int) -> int | None:
    """Where the URL around the dot at ``dot`` starts: the first host label, or its scheme."""
    pos = dot
    if pos == 0:
        return None
    if text[pos - 1] in "[({":
        pos -= 1
    right = pos
    while True:
        while pos > 0 and text[pos - 1] in _HOST_CHARS:
            pos -= 1
        for token in _DEFANG_TOKENS:  # an earlier defanged dot: keep walking back
            k = len(token)
            if (
                pos >= k + 1
                and text[pos - k : pos].lower() == token
                and text[pos - k - 1] in _ALNUM
            ):
                pos -= k
                break
        else:
            if pos > 0 and text[pos - 1] == "." and pos > 1 and text[pos - 2] in _ALNUM:
                pos -= 1
                continue
            break
    if pos == right:
        return None
    for sep in ("://", "[:]//"):
        k = len(sep)
        if text[pos - k : pos] == sep:
            scheme = pos - k
            while scheme > 0 and text[scheme - 1].isascii() and text[scheme - 1].isalpha():
                scheme -= 1
            if pos - k - scheme in (3, 4, 5):
                return scheme
    return pos


def _bare_domain_ok(m: re.Match[str]) -> bool:
    tld = m.group("tld")
    host = m.group("host")
    if any(label.isdigit() for label in refang(host).split(".")):
        return False  # "KA.04.US.8985" is a plate, "v2.0.app" a version
    if not (tld.islower() or host.isupper()):
        return False  # "money.In the call", "Rs.Paid"
    if tld.lower() in COMMON_TLDS:
        return True
    return bool(m.group("rest")) and m.group("rest")[0] == "/"


_QUERY_URL_RE = re.compile(
    rf"(?:{_SCHEME}|www{_DOT})?{_LABEL}(?:{_DOT}{_LABEL})*{_DOT}[a-z]{{2,24}}"
    rf"(?::\d{{1,5}})?(?:[/?#]\S*)?",
    re.IGNORECASE | re.ASCII,
)


def normalise_typed_url(value: str) -> str | None:
    """The registry value of a typed URL or bare domain, or ``None``."""
    value = drop_invisible(value)
    if _QUERY_URL_RE.fullmatch(value) is None and _URL_RE.fullmatch(value) is None:
        return None
    return _url_value(value[: _trim(value, 0, len(value))])


def _url_value(written: str) -> str:
    # Refanging can leave punctuation at the end ("bit.ly/[.]"): trim again so that the value
    # reads back as itself.
    value = normalise_url(written)
    return value[: _trim(value, 0, len(value))]
