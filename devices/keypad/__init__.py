"""Caller keypads (呼叫器) and evaluators (评价器) on the 21-key serial protocol."""

from devices.keypad.driver import BusStats, KeypadBus
from devices.keypad.protocol import EvaluatorRating, KeyAction, KeypadCommand

__all__ = ["BusStats", "EvaluatorRating", "KeyAction", "KeypadBus", "KeypadCommand"]
