"""Telephony-neutral menu engine and flow definitions of the Netzwerk-Hotline."""

from ivr_flows.engine import step
from ivr_flows.loader import FlowError, builtin_flow, load_flow, load_flow_from_mapping, read_definition
from ivr_flows.model import Flow, Node, Option
from ivr_flows.runtime import StepResult
from ivr_flows.state import CallState, StateError

__all__ = [
    "CallState", "Flow", "FlowError", "Node", "Option", "StateError", "StepResult",
    "builtin_flow", "load_flow", "load_flow_from_mapping", "read_definition", "step",
]
