"""The STIX 2.1 extension definitions that declare what scamtrail adds to the standard.

STIX 2.1 lets a producer add properties and cyber-observable types only through an
``extension-definition`` object that the bundle carries and each extended object names in its
``extensions``. A scamtrail bundle carries three fixed objects, the same in every feed (ids,
dates and contents are constants, so a consumer may pin them):

- the ``identity`` of the scamtrail project (:data:`STIX_AUTHOR`), author of both definitions;
- :data:`STIX_PROPERTY_EXTENSION`, a ``toplevel-property-extension``: the ``x_scamtrail_*``
  properties stay at the top level of indicators and of the producing identity (where feeds
  written before it put them too, so old and new bundles read alike), and each such object has
  ``"extensions": {STIX_PROPERTY_EXTENSION: {"extension_type": "toplevel-property-extension"}}``;
- :data:`STIX_SCO_EXTENSION`, a ``new-sco``: the ``x-scamtrail-phone``, ``x-scamtrail-upi``,
  ``x-scamtrail-vehicle`` and ``x-scamtrail-bank-account`` observable types that indicator
  patterns name (no such observable object is exported: only patterns refer to them).
"""

from __future__ import annotations

from typing import Any

#: The scamtrail project, author of the extension definitions (fixed: the same in every bundle).
STIX_AUTHOR = "identity--1bbb7677-2bbf-40ae-b27a-dd3f6617db85"
#: Declares the top-level ``x_scamtrail_*`` properties (``toplevel-property-extension``).
STIX_PROPERTY_EXTENSION = "extension-definition--4d2cad64-ee88-4cff-aa18-2ce8952f1534"
#: Declares the ``x-scamtrail-*`` cyber-observable types our patterns name (``new-sco``).
STIX_SCO_EXTENSION = "extension-definition--4f0bc701-da16-4763-a466-8d2b4ccf31f6"
#: The ``x_scamtrail_*`` properties each object type may carry.
STIX_PROPERTIES = {
    "indicator": (
        "x_scamtrail_kind",
        "x_scamtrail_complaint_count",
        "x_scamtrail_first_seen",
        "x_scamtrail_last_seen",
        "x_scamtrail_categories",
        "x_scamtrail_risk_tier",
        "x_scamtrail_risk_score",
    ),
    "identity": ("x_scamtrail_generated_at", "x_scamtrail_tool"),
}
_STIX_DEFINED = "2026-12-07T00:00:00.000Z"  # when the extension definitions were written


def extends(obj: dict[str, Any]) -> dict[str, Any]:
    """``obj`` with the ``extensions`` entry that declares its ``x_scamtrail_*`` properties."""
    if any(name.startswith("x_scamtrail_") for name in obj):
        obj["extensions"] = {
            STIX_PROPERTY_EXTENSION: {"extension_type": "toplevel-property-extension"}
        }
    return obj


def stix_extension_objects() -> list[dict[str, Any]]:
    """The scamtrail identity and the two extension definitions every bundle carries."""
    common = {"spec_version": "2.1", "created": _STIX_DEFINED, "modified": _STIX_DEFINED}
    author = {
        "type": "identity",
        "id": STIX_AUTHOR,
        **common,
        "name": "scamtrail",
        "description": "The scamtrail project, which defines the x_scamtrail extensions.",
        "identity_class": "system",
    }
    properties = sorted({p for names in STIX_PROPERTIES.values() for p in names})
    toplevel = {
        "type": "extension-definition",
        "id": STIX_PROPERTY_EXTENSION,
        **common,
        "created_by_ref": STIX_AUTHOR,
        "name": "scamtrail feed properties",
        "description": (
            "What a scamtrail feed says about an identifier beyond the indicator itself."
        ),
        "schema": (
            "Top-level properties. On indicators: x_scamtrail_kind (string: phone, upi, url, "
            "email, vehicle or bank_account), x_scamtrail_complaint_count (integer: distinct "
            "citizen complaints that named the identifier), x_scamtrail_first_seen and "
            "x_scamtrail_last_seen (timestamps, UTC ISO-8601), x_scamtrail_categories (list of "
            "bank_fraud, traffic, other), x_scamtrail_risk_score (number 0-100) and "
            "x_scamtrail_risk_tier (low, medium, high, very_high). On the producing identity: "
            "x_scamtrail_generated_at (timestamp) and x_scamtrail_tool (string: tool and version)."
        ),
        "version": "1.0.0",
        "extension_types": ["toplevel-property-extension"],
        "extension_properties": properties,
    }
    observables = {
        "type": "extension-definition",
        "id": STIX_SCO_EXTENSION,
        **common,
        "created_by_ref": STIX_AUTHOR,
        "name": "scamtrail identifier observables",
        "description": "Identifiers STIX has no cyber-observable for, as indicator patterns name them.",
        "schema": (
            "Cyber-observable types, each with one property value (string, normalised): "
            "x-scamtrail-phone (E.164 phone number), x-scamtrail-upi (UPI ID, lower case), "
            "x-scamtrail-vehicle (Indian vehicle registration, no spaces) and "
            "x-scamtrail-bank-account (bank account number, digits)."
        ),
        "version": "1.0.0",
        "extension_types": ["new-sco"],
    }
    return [author, toplevel, observables]
