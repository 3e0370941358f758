"""Phone numbers carried inside messaging links: WhatsApp click-to-chat and Telegram.

Scammers publish a number as a link more often than as digits: ``wa.me/919876543210``,
``https://api.whatsapp.com/send?phone=919876543210``, ``whatsapp://send?phone=...``,
``t.me/+919876543210``. The link stays a URL identifier and the number inside it becomes a phone
identifier of its own, with the offsets of its digits inside the link.

- :func:`find_app_links` finds the app-scheme links (``whatsapp://``, ``tg://``) that the URL
  finder, which works from dots, never sees.
- :func:`link_phones` reads the number out of a link already found.

The number in a WhatsApp link is written in international form without its ``+`` (the app's
rule), so it is read as international, except that exactly ten digits forming a valid national
number are that number (``wa.me/9876543210``: the country code dropped, a common mistake).
Telegram phone links always carry the ``+``; ``t.me/+AbCd...`` is an invite link, not a number.
"""

from __future__ import annotations

import re

from scamtrail.extract.numbering import NumberValidator, PhoneNumber

Found = tuple[str, str, int, int]

_DOT = r"(?:\.|\[\.\]|\(\.\))"
#: Query text before the ``phone=`` parameter: other parameters, never a space or fragment.
_QUERY_BEFORE = r"(?:[A-Za-z0-9_.~%+\-]*=[^\s&#]*&)*"
_LINK_PHONE_RE = re.compile(
    rf"(?:(?<![A-Za-z0-9\-])wa{_DOT}me/(?:c/|message/)?"
    rf"|(?<![A-Za-z0-9\-])(?:(?:api|web|www){_DOT})?whatsapp{_DOT}com/send/?\?{_QUERY_BEFORE}phone="
    rf"|(?<![A-Za-z0-9\-])whatsapp://send/?\?{_QUERY_BEFORE}phone="
    rf"|(?<![A-Za-z0-9\-])tg://resolve/?\?{_QUERY_BEFORE}phone="
    rf")(?P<wa>(?:\+|%2[Bb])?[0-9]{{7,15}})(?![0-9A-Za-z])"
    rf"|(?<![A-Za-z0-9\-])(?:t|telegram){_DOT}me/(?P<tg>\+[0-9]{{7,15}})(?![0-9A-Za-z_])",
    re.IGNORECASE | re.ASCII,
)
#: Links of the apps' own schemes: they have no dot, so the URL finder never sees them.
_APP_LINK_RE = re.compile(
    r"(?<![A-Za-z0-9])(?P<scheme>whatsapp|tg)://[A-Za-z]+/?(?:\?[A-Za-z0-9_.~%+=&\-]*)?",
    re.IGNORECASE | re.ASCII,
)
#: Words a link carrying a number contains; a link with none of them is not read further.
_MARKERS = ("wa", "whatsapp", "me/+", "tg:")


def find_app_links(text: str) -> list[Found]:
    """``whatsapp://send?phone=...`` and ``tg://resolve?...`` links as URL identifiers; the value
    keeps the link as written with its scheme lowercased."""
    if "://" not in text:
        return []
    out: list[Found] = []
    for m in _APP_LINK_RE.finditer(text):
        start, end = m.span()
        while end > start and text[end - 1] in "&?=.":
            end -= 1
        scheme = m.group("scheme")
        out.append(("url", scheme.lower() + text[start + len(scheme) : end], start, end))
    return out


def link_phones(text: str, start: int, end: int, validator: NumberValidator) -> list[Found]:
    """The phone number carried by the link ``text[start:end]``, if it carries a valid one."""
    written_link = text[start:end].lower()
    if not any(marker in written_link for marker in _MARKERS):
        return []
    out: list[Found] = []
    for m in _LINK_PHONE_RE.finditer(text, start, end):
        group = "wa" if m.group("wa") is not None else "tg"
        g_start, g_end = m.span(group)
        written = m.group(group)
        digits = written.lstrip("+")
        if written[:3].lower() == "%2b":
            digits = written[3:]
            g_start += 3  # the span is the number, not its URL-encoded "+"
        number = _read(digits, explicit_plus=group == "tg" or written[:1] in "+%", v=validator)
        if number is not None:
            out.append(("phone", number.value, g_start, g_end))
    return out


def _read(digits: str, explicit_plus: bool, v: NumberValidator) -> PhoneNumber | None:
    # Ten digits that make a valid national number are that number (people drop the country
    # code the app asks for); anything else is read the app's way, as international.
    if not explicit_plus and len(digits) == 10:
        number = v.check(digits, plus=False)
        if number is not None:
            return number
    return v.check(digits, plus=True)
