# SPDX-License-Identifier: MIT
"""How the values of unknown keys add up across the chunks of a stream (the accumulator's
rules for what no schema describes), and how such a value becomes a typed field."""
from __future__ import annotations

from ._errors import ValidationError
from ._fields import Fields
from ._json import dump_json

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, List

# Unknown fields are merged by how real servers use them:
# - reasoning text arrives in pieces and is concatenated, like content;
# - a list whose items carry an integer "index" (OpenRouter's reasoning_details, Groq's
#   executed_tools) is merged item by item, like tool calls: labels (id, type, name, ...)
#   from the first non-empty fragment, "status" from the last, other strings concatenated;
# - other lists are extended, unless a chunk repeats the whole list so far, perhaps grown
#   (Perplexity sends all its citations on every chunk): then it replaces it;
# - objects merge; any other value is replaced by the next non-null one (Groq's "channel"
#   label must stay "analysis", not become "analysis" x 93); a null never erases a value.
_CONCATENATED = frozenset(("reasoning_content", "reasoning"))
_LABELS = frozenset(("index", "id", "type", "name", "format", "role"))  # first non-empty wins
_STATES = frozenset(("status",))  # in an item, the latest wins


class Text:
    """A string arriving in pieces; joined when asked for, and kept joined (linear time)."""

    __slots__ = ("parts",)

    def __init__(self, first: str) -> None:
        self.parts = [first]

    def text(self) -> str:
        parts = self.parts
        if len(parts) > 1:
            parts[:] = ["".join(parts)]
        return parts[0]


class Items:
    """A list extended by later chunks, its items copied once when they arrive. Results
    share those copies (copying them again for every result would make a result after each
    chunk cost the whole stream each time); the accumulator never changes them."""

    __slots__ = ("items",)

    def __init__(self, items: List[Any]) -> None:
        self.items = dump_json(items)

    def extend(self, items: List[Any]) -> None:
        self.items.extend(dump_json(items))


class Indexed:
    """A list whose items are merged by their "index"."""

    __slots__ = ("items",)

    def __init__(self) -> None:
        self.items: Dict[int, Dict[str, Any]] = {}


def merge(acc: Dict[str, Any], new: Dict[str, Any], *, item: bool = False,
           whole_lists: bool = False) -> None:
    """Merge the unknown fields ``new`` into ``acc`` (see the rules above). ``item``: inside
    an indexed list item; ``whole_lists``: at a chunk's top level, where servers repeat lists."""
    for key, value in new.items():
        if value is None:  # a null never erases what came before
            if key not in acc:
                acc[key] = None
            continue
        old = acc.get(key)
        t = type(value)
        if t is str:
            if (item and key in _STATES) or (not item and key not in _CONCATENATED):
                acc[key] = value  # the latest wins
            elif item and key in _LABELS:
                if not old:
                    acc[key] = value
            elif type(old) is Text:
                old.parts.append(value)
            else:
                acc[key] = Text(value)
        elif t is dict:
            if type(old) is not dict:
                old = acc[key] = {}
            merge(old, value, item=item)
        elif t is list:
            if value and all(type(x) is dict and type(x.get("index")) is int for x in value):
                if type(old) is not Indexed:
                    old = acc[key] = Indexed()
                for entry in value:
                    merge(old.items.setdefault(entry["index"], {}), entry, item=True)
            elif type(old) is not Items:
                acc[key] = Items(value)
            elif whole_lists and value[:len(old.items)] == old.items:
                acc[key] = Items(value)  # the whole list again, perhaps grown
            else:
                old.extend(value)
        else:
            acc[key] = value


def materialize(value: Any) -> Any:
    """A merged value as plain JSON, sharing nothing with the chunks (and only the items
    of extended lists with the accumulator, see Items)."""
    t = type(value)
    if t is Text:
        return value.text()
    if t is dict:
        return {k: materialize(v) for k, v in value.items()}
    if t is Items:
        return value.items.copy()
    if t is Indexed:
        return [materialize(value.items[i]) for i in sorted(value.items)]
    return value


def fit(value: Any, read: Callable[[Fields], Any]) -> Any:
    """``value`` (plain JSON from chunks' unknown keys) as the typed field ``read`` gets,
    or ``MISFIT`` when it does not fit that field's type, at any depth (a ``custom`` whose
    ``input`` is a number does not fit, though lenient reading could type its holder)."""
    try:
        return read(Fields({"v": value}, 1, None))
    except ValidationError:
        return MISFIT


MISFIT = object()


def settle(obj: Any, extra: Dict[str, Any], key: str, read: Callable[[Fields], Any],
            nulls: List[str]) -> None:
    """An unknown chunk key named like a field of the result object: the field, when its
    value fits (``nulls`` gets it when it is null); else it stays in ``extra``, as lenient
    reading keeps a misfit."""
    if key in extra:
        typed = fit(extra[key], read)
        if typed is not MISFIT:
            setattr(obj, key, typed)
            if extra.pop(key) is None:
                nulls.append(key)
