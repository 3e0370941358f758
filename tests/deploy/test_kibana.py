"""The Kibana saved objects in deploy/kibana: they parse, their references resolve, and every
field they use exists — with the right capabilities — in the mappings the search-engine store
installs (taken from :mod:`scamtrail.index.search_mappings`, never copied)."""

from __future__ import annotations

import fnmatch
import importlib.util
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from scamtrail.index.search_mappings import index_templates

KIBANA = Path(__file__).resolve().parents[2] / "deploy" / "kibana"
NDJSON = KIBANA / "scamtrail.ndjson"
PREFIX = "scamtrail-"
#: Field types an aggregation or a sort can use (doc values); ``text`` needs fielddata.
AGGREGATABLE = {"keyword", "integer", "long", "float", "double", "date", "boolean"}
#: Saved-object types shipped here, and the ones Kibana provides itself (none referenced yet).
SHIPPED_TYPES = {"index-pattern", "search", "visualization", "dashboard"}
BUILT_IN_REFERENCES: set[tuple[str, str]] = set()
_KQL_FIELD = re.compile(r"([A-Za-z_][\w.]*)\s*(?::|>=|<=|>|<)")


def _objects() -> list[dict[str, Any]]:
    return [json.loads(line) for line in NDJSON.read_text(encoding="utf-8").splitlines() if line]


def _by_id() -> dict[tuple[str, str], dict[str, Any]]:
    return {(o["type"], o["id"]): o for o in _objects()}


def _flatten(props: dict[str, Any], parent: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """(dotted path, mapping) of every field, multi-fields (``author.name.raw``) included."""
    for name, spec in props.items():
        path = f"{parent}{name}"
        yield path, spec
        if "properties" in spec:
            yield from _flatten(spec["properties"], f"{path}.")
        for sub, sub_spec in spec.get("fields", {}).items():
            yield f"{path}.{sub}", sub_spec


class Fields:
    """The fields of one index as the generated mapping defines them."""

    def __init__(self, mappings: dict[str, Any]) -> None:
        self.specs = dict(_flatten(mappings["properties"]))
        self.dynamic = [
            (t["path_match"], t["mapping"])
            for entry in mappings.get("dynamic_templates", [])
            for t in entry.values()
        ]

    def spec(self, field: str) -> dict[str, Any] | None:
        if field in self.specs:
            return self.specs[field]
        for pattern, mapping in self.dynamic:
            if fnmatch.fnmatchcase(field, pattern):
                return mapping
        return None

    def searchable(self, field: str) -> bool:
        spec = self.spec(field)
        return bool(
            spec
            and spec.get("index", True)
            and spec.get("enabled", True)
            and spec.get("type") not in (None, "object")
        )

    def aggregatable(self, field: str) -> bool:
        spec = self.spec(field)
        return self.searchable(field) and bool(spec) and spec.get("type") in AGGREGATABLE


def _fields_by_data_view() -> dict[str, Fields]:
    """Data view id -> the fields of the one index template its title pattern matches."""
    templates = index_templates(PREFIX, "1s")
    out = {}
    for o in _objects():
        if o["type"] != "index-pattern":
            continue
        title = o["attributes"]["title"]
        matched = [
            body
            for body in templates.values()
            # A concrete index each template creates (``complaints-*`` -> ``complaints-v1``).
            if fnmatch.fnmatchcase(body["index_patterns"][0].replace("*", "v1"), title)
        ]
        assert len(matched) == 1, f"data view {title!r} matches {len(matched)} index templates"
        out[o["id"]] = Fields(matched[0]["template"]["mappings"])
    return out


def _search_source(o: dict[str, Any]) -> dict[str, Any]:
    return json.loads(o["attributes"]["kibanaSavedObjectMeta"]["searchSourceJSON"])


def _data_view_of(o: dict[str, Any]) -> str:
    ref_name = _search_source(o)["indexRefName"]
    (ref,) = [r for r in o["references"] if r["name"] == ref_name]
    assert ref["type"] == "index-pattern"
    return ref["id"]


def _kql_fields(query: str) -> list[str]:
    # Quoted values can hold colons ("http://..."); drop them before looking for field names.
    return _KQL_FIELD.findall(re.sub(r'"(?:[^"\\]|\\.)*"', '""', query))


def _uses(o: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(field, how it is used: column / search / aggregate) for one search or visualization."""
    src = _search_source(o)
    assert src["query"]["language"] == "kuery"
    for field in _kql_fields(src["query"]["query"]):
        yield field, "search"
    for flt in src.get("filter", []):
        if flt["meta"].get("key"):
            yield flt["meta"]["key"], "search"
        for clause in flt["query"].values():
            for field in clause:
                yield field, "search"
    attrs = o["attributes"]
    for field in attrs.get("columns", []):
        yield field, "column"
    for field, _direction in attrs.get("sort", []):
        yield field, "aggregate"
    if o["type"] == "visualization":
        for agg in json.loads(attrs["visState"])["aggs"]:
            if "field" in agg["params"]:
                yield agg["params"]["field"], "aggregate"


def test_every_line_is_one_saved_object_of_a_shipped_type() -> None:
    lines = NDJSON.read_text(encoding="utf-8").splitlines()
    assert lines and all(lines), "no blank lines: the import API reads one object per line"
    ids = set()
    for number, line in enumerate(lines, start=1):
        o = json.loads(line)
        assert o["type"] in SHIPPED_TYPES, f"line {number}"
        assert {
            "id",
            "attributes",
            "references",
            "coreMigrationVersion",
            "typeMigrationVersion",
        } <= (o.keys()), f"line {number}"
        assert o["attributes"]["title"], f"line {number}"
        for ref in o["references"]:
            assert set(ref) == {"name", "type", "id"}, f"line {number}: {ref}"
        assert (o["type"], o["id"]) not in ids, f"line {number}: duplicate {o['id']}"
        ids.add((o["type"], o["id"]))


def test_every_reference_resolves_to_an_object_in_the_file() -> None:
    known = set(_by_id()) | BUILT_IN_REFERENCES
    for o in _objects():
        for ref in o["references"]:
            assert (ref["type"], ref["id"]) in known, f"{o['id']} -> {ref}"


def test_every_search_source_and_panel_names_a_reference_it_has() -> None:
    for o in _objects():
        names = {r["name"] for r in o["references"]}
        if o["type"] in ("search", "visualization"):
            src = _search_source(o)
            assert src["indexRefName"] in names, o["id"]
            for flt in src.get("filter", []):
                assert flt["meta"]["indexRefName"] in names, o["id"]
        if o["type"] == "dashboard":
            panels = json.loads(o["attributes"]["panelsJSON"])
            assert panels, o["id"]
            for panel in panels:
                # Kibana 8 names a panel's reference "<panelIndex>:<panelRefName>".
                ref = f"{panel['panelIndex']}:{panel['panelRefName']}"
                (match,) = [r for r in o["references"] if r["name"] == ref]
                assert match["type"] == panel["type"], (o["id"], ref)


def test_data_view_time_fields_are_dates_in_the_mapping() -> None:
    fields = _fields_by_data_view()
    for o in _objects():
        if o["type"] == "index-pattern":
            spec = fields[o["id"]].spec(o["attributes"]["timeFieldName"])
            assert spec and spec["type"] == "date", o["id"]


def test_every_field_used_exists_in_the_generated_mapping_and_can_be_used_that_way() -> None:
    fields = _fields_by_data_view()
    checked = 0
    for o in _objects():
        if o["type"] not in ("search", "visualization"):
            continue
        index_fields = fields[_data_view_of(o)]
        for field, use in _uses(o):
            checked += 1
            where = f"{o['id']} uses {field!r} ({use})"
            assert index_fields.spec(field) is not None, f"{where}: not in the mapping"
            if use == "search":
                assert index_fields.searchable(field), f"{where}: not indexed"
            if use == "aggregate":
                assert index_fields.aggregatable(field), f"{where}: not aggregatable"
    assert checked >= 30


def test_the_field_check_catches_a_field_the_mapping_lacks_or_cannot_aggregate() -> None:
    """The helpers above reject what Kibana would show as an error, so the test can fail."""
    complaints = _fields_by_data_view()["scamtrail-complaints"]
    assert complaints.spec("identifier_value") is None
    assert not complaints.aggregatable("text")  # analysed text: no doc values
    assert not complaints.searchable("url")  # kept in _source only
    assert not complaints.searchable("raw.data.id")  # raw is not indexed at all
    assert complaints.aggregatable("scores.bank_fraud")  # dynamic template
    assert _kql_fields('identifier_values : "http://a.b:8/x" and level >= 2') == [
        "identifier_values",
        "level",
    ]


def test_the_documented_prefix_change_rewrites_only_the_data_view_titles() -> None:
    """README: the prefix appears only in data view titles, so one substitution moves them all."""
    text = NDJSON.read_text(encoding="utf-8")
    changed = re.sub(r'"title":"scamtrail-', '"title":"city2-', text)
    before, after = _objects(), [json.loads(line) for line in changed.splitlines()]
    for old, new in zip(before, after, strict=True):
        if old["type"] == "index-pattern":
            assert (
                new["attributes"]["title"] == "city2-" + old["attributes"]["title"][len(PREFIX) :]
            )
        else:
            assert new == old
    templates = index_templates("city2-", "1s")
    for o in after:
        if o["type"] == "index-pattern":
            assert any(
                fnmatch.fnmatchcase(
                    t["index_patterns"][0].replace("*", "v1"), o["attributes"]["title"]
                )
                for t in templates.values()
            )


@pytest.mark.parametrize(
    ("dashboard", "needs"),
    [
        (
            "scamtrail-investigators",
            {
                "scamtrail-complaints-over-time",
                "scamtrail-top-repeat-numbers",
                "scamtrail-new-repeats-today",
                "scamtrail-latest-fraud",
                "scamtrail-naming-one-number",
            },
        ),
        (
            "scamtrail-operations",
            {
                "scamtrail-complaints-over-time",
                "scamtrail-top-repeat-numbers",
                "scamtrail-new-repeats-today",
                "scamtrail-latest-fraud",
            },
        ),
    ],
)
def test_dashboards_hold_their_panels(dashboard: str, needs: set[str]) -> None:
    o = _by_id()[("dashboard", dashboard)]
    assert needs <= {r["id"] for r in o["references"]}
    grid = [p["gridData"] for p in json.loads(o["attributes"]["panelsJSON"])]
    assert all(g["x"] >= 0 and g["x"] + g["w"] <= 48 for g in grid), "Kibana's grid is 48 wide"


def _readme_jq_program() -> str:
    readme = (KIBANA / "README.md").read_text(encoding="utf-8")
    match = re.search(r"jq -c '(.*?)' deploy/kibana/scamtrail\.ndjson", readme, re.DOTALL)
    assert match, "the README shows the jq conversion for OpenSearch Dashboards"
    return match.group(1)


@pytest.mark.skipif(shutil.which("jq") is None, reason="jq is not installed")
def test_the_documented_opensearch_dashboards_conversion_gives_7_10_shapes() -> None:
    out = subprocess.run(
        ["jq", "-c", _readme_jq_program(), str(NDJSON)],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    converted = [json.loads(line) for line in out.splitlines()]
    assert len(converted) == len(_objects())
    ids = {(o["type"], o["id"]) for o in converted}
    for o in converted:
        assert not {"coreMigrationVersion", "typeMigrationVersion", "managed"} & o.keys()
        assert list(o["migrationVersion"]) == [o["type"]]
        assert re.fullmatch(r"7\.\d+\.\d+", o["migrationVersion"][o["type"]])
        assert (
            not {"name", "runtimeFieldMap", "typeMeta", "grid", "hideChart"}
            & o["attributes"].keys()
        )
        for ref in o["references"]:
            assert (ref["type"], ref["id"]) in ids
        if o["type"] == "dashboard":
            # OpenSearch Dashboards finds a panel's reference by its panelRefName alone.
            names = {r["name"] for r in o["references"]}
            for panel in json.loads(o["attributes"]["panelsJSON"]):
                assert panel["panelRefName"] in names


def test_the_file_is_what_the_builder_writes() -> None:
    """Edits go to build_saved_objects.py; a hand edit of the NDJSON would be lost on rebuild."""
    spec = importlib.util.spec_from_file_location(
        "build_saved_objects", KIBANA / "build_saved_objects.py"
    )
    assert spec and spec.loader
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    assert builder.render() == NDJSON.read_text(encoding="utf-8"), (
        "run: .venv/bin/python deploy/kibana/build_saved_objects.py"
    )
