"""Loading and validating flow definitions: shipped files, round trips and every kind of mistake."""

from __future__ import annotations

import copy
import json

import pytest

from ivr_flows import FlowError, builtin_flow, load_flow, load_flow_from_mapping, read_definition
from ivr_flows.loader import DEFINITIONS_DIR

VALID = {
    "flow": {"name": "t", "version": 1, "start": "hello", "main_menu": "main", "callback": "callback"},
    "nodes": {
        "hello": {"kind": "greeting", "next": "main"},
        "main": {"kind": "menu", "options": [{"key": 1, "label": "label_activities", "next": "acts"},
                                             {"key": 2, "label": "label_message", "next": "msg"}]},
        "acts": {"kind": "activities"},
        "msg": {"kind": "message", "next": "confirm", "decline": "callback"},
        "callback": {"kind": "callback", "next": "confirm"},
        "confirm": {"kind": "confirm_number", "next": "bye"},
        "bye": {"kind": "goodbye"},
    },
}


def _options(*keys):
    return [{"key": k, "label": "label_activities", "next": "acts"} for k in keys]


def _broken(change):
    data = copy.deepcopy(VALID)
    change(data)
    return data


@pytest.mark.parametrize("name", ["standard", "citywide"])
def test_shipped_definitions_load(name):
    flow = builtin_flow(name)
    assert flow.name == name
    assert flow.version >= 1


@pytest.mark.parametrize("name", ["standard", "citywide"])
def test_definitions_round_trip_as_plain_json(name):
    flow = builtin_flow(name)
    stored = json.loads(json.dumps(flow.to_mapping()))
    assert load_flow_from_mapping(stored, f"db:{name}") == flow


def test_citywide_includes_the_standard_nodes():
    merged = read_definition(DEFINITIONS_DIR / "citywide.toml")
    assert set(read_definition(DEFINITIONS_DIR / "standard.toml")["nodes"]) < set(merged["nodes"])
    assert "include" not in merged["flow"]


def test_standard_main_menu_lists_most_used_first():
    main = builtin_flow("standard").nodes["main"]
    assert [(o.key, o.label) for o in main.options] == [
        ("1", "label_activities"), ("2", "label_newcomers"), ("3", "label_message"), ("4", "label_talk")]


@pytest.mark.parametrize(("change", "node", "field", "message"), [
    (lambda d: d["nodes"]["acts"].update(kind="jukebox"), "acts", "kind", "unknown node kind 'jukebox'"),
    (lambda d: d["nodes"]["main"]["options"][0].update(next="nowhere"), "main", "options[0].next",
     "missing node 'nowhere'"),
    (lambda d: d["nodes"]["main"].update(options=_options(1, 1)), "main", "options[1].key", "duplicate key '1'"),
    (lambda d: d["nodes"]["main"].update(options=_options(1, 2, 3, 4, 5)), "main", "options",
     "at most 4"),
    (lambda d: d["nodes"]["main"].update(options=_options(1, 3)), "main", "options", "without gaps"),
    (lambda d: d["nodes"]["main"].update(options=_options(1, 9)), "main", "options[1].key", "reserved"),
    (lambda d: d["nodes"]["main"].update(options=_options("*")), "main", "options[0].key", "reserved"),
    (lambda d: d["nodes"]["main"].update(options=_options(0)), "main", "options[0].key", "reserved"),
    (lambda d: d["nodes"]["main"].update(options=_options("#")), "main", "options[0].key", "reserved"),
    (lambda d: d["nodes"].update(orphan={"kind": "activities"}), "orphan", None, "unreachable"),
    (lambda d: d["nodes"]["msg"].update(colour="blue"), "msg", "colour", "unknown field"),
    (lambda d: d["nodes"]["msg"].pop("decline"), "msg", "decline", "missing"),
    (lambda d: d["nodes"]["msg"].update(next="main"), "msg", "next", "must point to a confirm_number node"),
    (lambda d: d["nodes"]["hello"].update(prompt="no_such_prompt"), "hello", "prompt", "unknown prompt key"),
    (lambda d: d["nodes"]["callback"].update(next="bye"), "callback", "next", "confirm_number"),
    (lambda d: d["nodes"]["hello"].update(next="bye"), "hello", "next", "goodbye may only follow"),
])
def test_mistakes_name_file_node_and_field(change, node, field, message):
    with pytest.raises(FlowError) as info:
        load_flow_from_mapping(_broken(change), "lines/bilk.toml")
    text = str(info.value)
    assert "lines/bilk.toml" in text
    assert message in text
    assert f"node {node!r}" in text
    if field:
        assert f"field {field!r}" in text


def test_loop_without_exit_is_rejected():
    def change(d):
        d["nodes"]["hours"] = {"kind": "office_hours", "open": "hello", "closed": "main"}
        d["nodes"]["hello"]["next"] = "hours"

    with pytest.raises(FlowError, match=r"loop without exit: hello -> hours -> hello"):
        load_flow_from_mapping(_broken(change), "loop.toml")


def test_sub_sub_menu_is_rejected():
    def change(d):
        d["nodes"]["main"]["options"].append({"key": 3, "label": "label_talk", "next": "sub1"})
        d["nodes"]["sub1"] = {"kind": "menu", "options": [{"key": 1, "label": "label_talk", "next": "sub2"}]}
        d["nodes"]["sub2"] = {"kind": "menu", "options": [{"key": 1, "label": "label_talk", "next": "acts"}]}

    with pytest.raises(FlowError, match=r"node 'sub1', field 'options\[0\].next': more than 2 menu levels"):
        load_flow_from_mapping(_broken(change), "deep.toml")


def test_every_mistake_is_listed_at_once():
    def change(d):
        d["nodes"]["acts"]["kind"] = "jukebox"
        d["nodes"]["main"]["options"] = _options(1, 1)
        d["flow"]["version"] = 0

    with pytest.raises(FlowError) as info:
        load_flow_from_mapping(_broken(change), "many.toml")
    assert len(info.value.problems) == 3
    assert all(p.startswith("many.toml: ") for p in info.value.problems)


@pytest.mark.parametrize(("change", "field"), [
    (lambda d: d["flow"].pop("callback"), "flow.callback"),
    (lambda d: d["flow"].update(main_menu="acts"), "flow.main_menu"),
    (lambda d: d["flow"].update(include="standard"), "flow.include"),
    (lambda d: d.update(extra={}), "extra"),
])
def test_head_mistakes(change, field):
    with pytest.raises(FlowError, match=f"field {field!r}"):
        load_flow_from_mapping(_broken(change), "head.toml")


def test_bad_toml_names_the_file(tmp_path):
    path = tmp_path / "kaputt.toml"
    path.write_text("[flow\nname = 1", encoding="utf-8")
    with pytest.raises(FlowError, match="kaputt.toml: not valid TOML"):
        load_flow(path)


def test_duplicate_node_table_in_toml_is_rejected(tmp_path):
    path = tmp_path / "dup.toml"
    path.write_text('[nodes.a]\nkind = "goodbye"\n[nodes.a]\nkind = "goodbye"\n', encoding="utf-8")
    with pytest.raises(FlowError, match="dup.toml"):
        load_flow(path)
