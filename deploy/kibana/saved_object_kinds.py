"""The Kibana 8 saved-object kinds scamtrail ships, as small builders.

Data views, saved searches, visualizations (tables, pies, metrics, histograms) and dashboards, with
the JSON-inside-JSON that Kibana keeps in their attributes. ``build_saved_objects.py`` composes
them into ``scamtrail.ndjson``.
"""

from __future__ import annotations

import json
from typing import Any

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
