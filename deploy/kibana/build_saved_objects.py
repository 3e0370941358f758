"""Build deploy/kibana/scamtrail.ndjson, the Kibana 8 saved objects of scamtrail.

Saved objects keep their queries, visualizations and panels as JSON inside JSON strings, which is
hard to edit by hand; edit them here and rebuild (no network, deterministic). Run from the
repository root:

    .venv/bin/python deploy/kibana/build_saved_objects.py

tests/deploy/test_kibana.py checks that the file is what this script builds, and that every field
the objects use exists in the index mappings of ``scamtrail.index.search_mappings``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from saved_object_kinds import (  # noqa: E402  (beside this script)
    ALERTS,
    COMPLAINTS,
    COUNT,
    IDENTIFIERS,
    METRIC,
    PIE,
    RAISED_TODAY,
    TABLE,
    agg,
    dashboard,
    data_view,
    date_histogram,
    histogram_params,
    saved_search,
    terms,
    visualization,
)

OUT = Path(__file__).with_name("scamtrail.ndjson")


def build() -> list[dict]:
    """Every saved object, data views first (Kibana imports in any order; people read it)."""
    return [
        data_view(COMPLAINTS, "scamtrail-complaints*", "created_at", "scamtrail complaints"),
        data_view(
            IDENTIFIERS, "scamtrail-identifiers*", "last_seen", "scamtrail identifiers registry"
        ),
        data_view(ALERTS, "scamtrail-alerts*", "raised_at", "scamtrail alerts"),
        saved_search(
            "scamtrail-fraud-with-phones",
            "scamtrail: fraud complaints with phone numbers",
            "Bank-fraud complaints that name at least one phone number, newest first.",
            COMPLAINTS,
            'category : "bank_fraud" and identifiers.kind : "phone"',
            ["identifier_values", "text", "author.username", "source"],
        ),
        saved_search(
            "scamtrail-naming-one-number",
            "scamtrail: complaints naming one number (edit the number)",
            "Every complaint naming one identifier. Replace the number in the query with the one "
            "you are checking, written normalised: phones in E.164 (+919876543210), UPI IDs "
            "lowercased, vehicles like MH02AB1234. Set the time range wide (e.g. last 5 years).",
            COMPLAINTS,
            'identifier_values : "+919876543210"',
            ["category", "identifier_values", "text", "author.username"],
        ),
        saved_search(
            "scamtrail-latest-fraud",
            "scamtrail: latest fraud complaints",
            "Bank-fraud complaints, newest first.",
            COMPLAINTS,
            'category : "bank_fraud"',
            ["text", "identifier_values", "author.username", "source"],
        ),
        visualization(
            "scamtrail-complaints-over-time",
            "scamtrail: complaints over time by category",
            "Complaints per interval, stacked by category.",
            COMPLAINTS,
            "histogram",
            histogram_params("Complaints"),
            [COUNT, date_histogram(2, "created_at"), terms(3, "category", "group", "Category")],
        ),
        visualization(
            "scamtrail-complaints-by-source",
            "scamtrail: complaints over time by source",
            "Complaints per interval, stacked by source (x, intake, replay, partner:...).",
            COMPLAINTS,
            "histogram",
            histogram_params("Complaints"),
            [COUNT, date_histogram(2, "created_at"), terms(3, "source", "group", "Source")],
        ),
        visualization(
            "scamtrail-complaints-by-category",
            "scamtrail: complaints by category",
            "Share of complaints per category in the time range.",
            COMPLAINTS,
            "pie",
            PIE,
            [COUNT, terms(2, "category", "segment", "Category")],
        ),
        visualization(
            "scamtrail-complaint-count",
            "scamtrail: complaints",
            "Complaints in the time range.",
            COMPLAINTS,
            "metric",
            METRIC,
            [COUNT],
        ),
        visualization(
            "scamtrail-top-repeat-numbers",
            "scamtrail: top repeat numbers",
            "Phone numbers named in two complaints or more, most named first (last seen in the "
            "time range).",
            IDENTIFIERS,
            "table",
            TABLE,
            [
                agg(1, "max", "metric", field="complaint_count", customLabel="Complaints"),
                agg(2, "min", "metric", field="first_seen", customLabel="First seen"),
                agg(3, "max", "metric", field="last_seen", customLabel="Last seen"),
                terms(4, "value", "bucket", "Number", size=25),
                terms(5, "categories", "bucket", "Categories", size=5),
            ],
            query='kind : "phone" and complaint_count >= 2',
        ),
        visualization(
            "scamtrail-new-repeats-today",
            "scamtrail: numbers that became repeats today",
            "Phone numbers and UPI IDs whose second complaint arrived today (UTC): the repeat "
            "alert at level 2 raised since midnight.",
            ALERTS,
            "table",
            TABLE,
            [
                agg(1, "max", "metric", field="complaint_count", customLabel="Complaints now"),
                agg(2, "max", "metric", field="raised_at", customLabel="Became a repeat at"),
                terms(3, "identifier.value", "bucket", "Number / UPI ID", size=50),
                terms(4, "identifier.kind", "bucket", "Kind", size=5),
            ],
            query='rule : "repeat" and level : 2',
            filters=[RAISED_TODAY],
        ),
        visualization(
            "scamtrail-identifiers-by-kind",
            "scamtrail: identifiers by kind",
            "Registry entries (distinct identifiers) per kind, last seen in the time range.",
            IDENTIFIERS,
            "pie",
            PIE,
            [COUNT, terms(2, "kind", "segment", "Kind")],
        ),
        visualization(
            "scamtrail-alerts-over-time",
            "scamtrail: alerts over time by level",
            "Repeat alerts raised per interval, by level (2, 5, 10 complaints).",
            ALERTS,
            "histogram",
            histogram_params("Alerts"),
            [COUNT, date_histogram(2, "raised_at"), terms(3, "level", "group", "Level")],
        ),
        dashboard(
            "scamtrail-investigators",
            "scamtrail: investigators",
            "Repeat numbers, new repeats, the latest fraud complaints and a lookup of one number.",
            [
                ("visualization", "scamtrail-new-repeats-today", 0, 0, 20, 15),
                ("visualization", "scamtrail-top-repeat-numbers", 20, 0, 28, 15),
                ("visualization", "scamtrail-complaints-over-time", 0, 15, 48, 12),
                ("search", "scamtrail-latest-fraud", 0, 27, 48, 18),
                ("search", "scamtrail-naming-one-number", 0, 45, 48, 15),
            ],
            "now-30d",
        ),
        dashboard(
            "scamtrail-operations",
            "scamtrail: operations",
            "What flows in and what it produces: volumes by category and source, identifiers by "
            "kind, alerts, repeat numbers and the latest fraud complaints.",
            [
                ("visualization", "scamtrail-complaint-count", 0, 0, 12, 10),
                ("visualization", "scamtrail-complaints-by-category", 12, 0, 18, 10),
                ("visualization", "scamtrail-identifiers-by-kind", 30, 0, 18, 10),
                ("visualization", "scamtrail-complaints-over-time", 0, 10, 24, 13),
                ("visualization", "scamtrail-complaints-by-source", 24, 10, 24, 13),
                ("visualization", "scamtrail-alerts-over-time", 0, 23, 24, 13),
                ("visualization", "scamtrail-new-repeats-today", 24, 23, 24, 13),
                ("visualization", "scamtrail-top-repeat-numbers", 0, 36, 48, 14),
                ("search", "scamtrail-latest-fraud", 0, 50, 48, 16),
            ],
            "now-24h",
        ),
    ]


def render() -> str:
    """The NDJSON text: one object per line, keys sorted, so rebuilds diff cleanly."""
    return "".join(
        json.dumps(o, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
        for o in build()
    )


if __name__ == "__main__":
    OUT.write_text(render(), encoding="utf-8")
    print(f"wrote {OUT} ({len(build())} objects)")
