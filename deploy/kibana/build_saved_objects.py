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
from pathlib import Path
from typing import Any

OUT = Path(__file__).with_name("scamtrail.ndjson")
#: Kibana 8.9 or later imports these and migrates them forward.
CORE_VERSION = "8.8.0"
TYPE_VERSIONS = {
    "index-pattern": "8.0.0",
    "search": "8.0.0",
    "visualization": "8.5.0",
    "dashboard": "8.9.0",
}
INDEX_REF = "kibanaSavedObjectMeta.searchSourceJSON.index"
COMPLAINTS, IDENTIFIERS, ALERTS = (
    "scamtrail-complaints",
    "scamtrail-identifiers",
    "scamtrail-alerts",
)


def _compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


def saved_object(type_: str, id_: str, attributes: dict, references: list[dict]) -> dict:
    """One saved object in the shape Kibana 8 exports."""
    return {
        "attributes": attributes,
        "coreMigrationVersion": CORE_VERSION,
        "id": id_,
        "managed": False,
        "references": references,
        "type": type_,
        "typeMigrationVersion": TYPE_VERSIONS[type_],
    }


def data_view(id_: str, title: str, time_field: str, name: str) -> dict:
    """A data view (``index-pattern``); its fields are read from the cluster when opened."""
    attributes = {
        "title": title,
        "name": name,
        "timeFieldName": time_field,
        "fields": "[]",
        "fieldFormatMap": "{}",
        "runtimeFieldMap": "{}",
        "sourceFilters": "[]",
        "typeMeta": "{}",
    }
    return saved_object("index-pattern", id_, attributes, [])


def _source(query: str, filters: list[dict] | None = None) -> dict:
    return {
        "searchSourceJSON": _compact(
            {
                "query": {"query": query, "language": "kuery"},
                "filter": filters or [],
                "indexRefName": INDEX_REF,
            }
        )
    }


def _index_ref(view: str) -> list[dict]:
    return [{"name": INDEX_REF, "type": "index-pattern", "id": view}]


def saved_search(
    id_: str, title: str, description: str, view: str, query: str, columns: list[str]
) -> dict:
    """A Discover search (KQL), newest complaint first."""
    attributes = {
        "title": title,
        "description": description,
        "columns": columns,
        "sort": [["created_at", "desc"]],
        "grid": {},
        "hideChart": False,
        "kibanaSavedObjectMeta": _source(query),
    }
    return saved_object("search", id_, attributes, _index_ref(view))


def visualization(
    id_: str,
    title: str,
    description: str,
    view: str,
    vis_type: str,
    params: dict,
    aggs: list[dict],
    query: str = "",
    filters: list[dict] | None = None,
) -> dict:
    """An aggregation-based visualization (these work in OpenSearch Dashboards too; Lens not)."""
    attributes = {
        "title": title,
        "description": description,
        "version": 1,
        "uiStateJSON": "{}",
        "visState": _compact({"title": title, "type": vis_type, "aggs": aggs, "params": params}),
        "kibanaSavedObjectMeta": _source(query, filters),
    }
    references = _index_ref(view)
    for i, _ in enumerate(filters or []):
        references.append(
            {"name": _filter_ref(i), "type": "index-pattern", "id": view},
        )
    return saved_object("visualization", id_, attributes, references)


def _filter_ref(i: int) -> str:
    return f"kibanaSavedObjectMeta.searchSourceJSON.filter[{i}].meta.index"


def agg(id_: int, type_: str, schema: str, **params: Any) -> dict:
    """One aggregation of a visualization."""
    return {"id": str(id_), "enabled": True, "type": type_, "params": params, "schema": schema}


def terms(id_: int, field: str, schema: str, label: str, size: int = 10) -> dict:
    """A terms bucket ordered by the first metric."""
    return agg(
        id_,
        "terms",
        schema,
        field=field,
        orderBy="1",
        order="desc",
        size=size,
        otherBucket=False,
        otherBucketLabel="Other",
        missingBucket=False,
        missingBucketLabel="Missing",
        customLabel=label,
    )


def date_histogram(id_: int, field: str) -> dict:
    """An automatic-interval date histogram on the x axis."""
    return agg(
        id_,
        "date_histogram",
        "segment",
        field=field,
        useNormalizedEsInterval=True,
        scaleMetricValues=False,
        interval="auto",
        drop_partials=False,
        min_doc_count=1,
        extended_bounds={},
    )


def histogram_params(axis_title: str) -> dict:
    """Stacked vertical bars."""
    return {
        "type": "histogram",
        "grid": {"categoryLines": False},
        "categoryAxes": [
            {
                "id": "CategoryAxis-1",
                "type": "category",
                "position": "bottom",
                "show": True,
                "style": {},
                "scale": {"type": "linear"},
                "labels": {"show": True, "filter": True, "truncate": 100},
                "title": {},
            }
        ],
        "valueAxes": [
            {
                "id": "ValueAxis-1",
                "name": "LeftAxis-1",
                "type": "value",
                "position": "left",
                "show": True,
                "style": {},
                "scale": {"type": "linear", "mode": "normal"},
                "labels": {"show": True, "rotate": 0, "filter": False, "truncate": 100},
                "title": {"text": axis_title},
            }
        ],
        "seriesParams": [
            {
                "show": True,
                "type": "histogram",
                "mode": "stacked",
                "data": {"label": axis_title, "id": "1"},
                "valueAxis": "ValueAxis-1",
                "drawLinesBetweenPoints": True,
                "lineWidth": 2,
                "showCircles": True,
            }
        ],
        "addTooltip": True,
        "addLegend": True,
        "legendPosition": "right",
        "times": [],
        "addTimeMarker": False,
        "labels": {"show": False},
        "thresholdLine": {
            "show": False,
            "value": 10,
            "width": 1,
            "style": "full",
            "color": "#E7664C",
        },
    }


TABLE = {
    "perPage": 20,
    "showPartialRows": False,
    "showMetricsAtAllLevels": False,
    "showTotal": False,
    "totalFunc": "sum",
    "percentageCol": "",
    "sort": {"columnIndex": None, "direction": None},
}
PIE = {
    "type": "pie",
    "addTooltip": True,
    "addLegend": True,
    "legendPosition": "right",
    "isDonut": True,
    "labels": {"show": True, "values": True, "last_level": True, "truncate": 100},
}
METRIC = {
    "addTooltip": True,
    "addLegend": False,
    "type": "metric",
    "metric": {
        "percentageMode": False,
        "useRanges": False,
        "colorSchema": "Green to Red",
        "metricColorMode": "None",
        "colorsRange": [{"from": 0, "to": 10000}],
        "labels": {"show": True},
        "invertColors": False,
        "style": {
            "bgFill": "#000",
            "bgColor": False,
            "labelColor": False,
            "subText": "",
            "fontSize": 60,
        },
    },
}
COUNT = agg(1, "count", "metric")
#: Alerts raised since midnight UTC, whatever the dashboard's time range.
RAISED_TODAY = {
    "meta": {
        "alias": "raised today (UTC)",
        "negate": False,
        "disabled": False,
        "type": "range",
        "key": "raised_at",
        "params": {"gte": "now/d", "lt": "now+1d/d"},
        "indexRefName": _filter_ref(0),
    },
    "query": {"range": {"raised_at": {"gte": "now/d", "lt": "now+1d/d"}}},
    "$state": {"store": "appState"},
}


def dashboard(id_: str, title: str, description: str, panels: list[tuple], time_from: str) -> dict:
    """A dashboard of (type, id, x, y, w, h) panels on Kibana's 48-column grid."""
    panels_json, references = [], []
    for i, (ptype, pid, x, y, w, h) in enumerate(panels, start=1):
        panels_json.append(
            {
                "version": TYPE_VERSIONS["dashboard"],
                "type": ptype,
                "gridData": {"x": x, "y": y, "w": w, "h": h, "i": str(i)},
                "panelIndex": str(i),
                "embeddableConfig": {"enhancements": {}},
                "panelRefName": f"panel_{i}",
            }
        )
        # Kibana 8 names a panel's reference "<panelIndex>:<panelRefName>".
        references.append({"name": f"{i}:panel_{i}", "type": ptype, "id": pid})
    options = {
        "useMargins": True,
        "syncColors": False,
        "syncCursor": True,
        "syncTooltips": False,
        "hidePanelTitles": False,
    }
    attributes = {
        "title": title,
        "description": description,
        "version": 1,
        "timeRestore": True,
        "timeFrom": time_from,
        "timeTo": "now",
        "refreshInterval": {"pause": False, "value": 60000},
        "optionsJSON": _compact(options),
        "panelsJSON": _compact(panels_json),
        "kibanaSavedObjectMeta": {
            "searchSourceJSON": _compact(
                {"query": {"query": "", "language": "kuery"}, "filter": []}
            )
        },
    }
    return saved_object("dashboard", id_, attributes, references)


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
