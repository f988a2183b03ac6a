# SPDX-License-Identifier: MIT
"""Helpers shared by the test modules (no test module imports from another one).

* ``same``: ``==`` that also tells ``True`` from ``1`` from ``1.0``, and a dict from a dict
  subclass;
* ``build``: an object of the response tree made by calling the constructors;
* ``containers``/``ids``/``shared``: the containers (and model objects) reachable from a
  value, to check that two trees share nothing;
* ``sse_events``: drive ``SSEDecoder.feed``/``close`` over pieces;
* ``count_calls``: how many function calls something makes, the deterministic cost measure
  the linearity tests use instead of clocks;
* ``path_segments``/``follow``: read a ValidationError's path back into its document.
"""
from __future__ import annotations

import copy
import dataclasses
import importlib
import json
import sys
from typing import Any, Callable, Dict, Iterable, Iterator, List, Set

from tests import cc
from tests.strategies import cls, keys

_sse = importlib.import_module(f"{cc.__name__}._sse")


def same(a: Any, b: Any) -> bool:
    """``==`` that also tells True from 1 from 1.0 and a dict from a dict subclass, recursively."""
    if type(a) is not type(b):
        return False
    if type(a) is dict:
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if type(a) is list:
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a is b or a == b


def build(name: str, d: Dict[str, Any]) -> Any:
    """The object of class ``name`` for dict ``d``, made by calling the constructors (no
    from_dict); keys ``d`` lacks are left to the constructor's defaults."""
    kwargs: Dict[str, Any] = {}
    for k, kind in keys(name).items():
        if k not in d:
            continue
        v = d[k]
        if kind[0] == "obj":
            kwargs[k] = build(kind[1], v)
        elif kind[0] == "list":
            kwargs[k] = [build(kind[1], item) for item in v]
        else:
            kwargs[k] = copy.deepcopy(v)
    return cls(name)(**kwargs)


def containers(value: Any, *, models: bool = False) -> Iterator[Any]:
    """Every dict (dict subclasses such as the ``extra`` that remembers nulls included) and
    list reachable from ``value``, through the fields of model objects; with ``models``, the
    model objects too."""
    stack: List[Any] = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, dict):
            yield v
            stack.extend(v.values())
        elif isinstance(v, list):
            yield v
            stack.extend(v)
        elif dataclasses.is_dataclass(v) and not isinstance(v, type):
            if models:
                yield v
            stack.extend(getattr(v, f.name) for f in dataclasses.fields(v))


def ids(value: Any, *, models: bool = False) -> Set[int]:
    return {id(c) for c in containers(value, models=models)}


def sse_events(pieces: Iterable[Any]) -> List[Any]:
    """The events an ``SSEDecoder`` gives for ``pieces``: each piece fed, then closed."""
    decoder = _sse.SSEDecoder()
    events: List[Any] = []
    for piece in pieces:
        events.extend(decoder.feed(piece))
    events.extend(decoder.close())
    return events


def count_calls(fn: Callable[[], Any]) -> int:
    """The number of function calls (Python and built-in) made while ``fn()`` runs.

    A deterministic measure of cost: the same on a loaded machine as on an idle one, so a
    linearity test built on it can neither flake nor be loosened to pass. It does not see the
    cost inside one built-in call (a ``"".join`` of a long list is one call).
    """
    count = 0

    def profile(frame: Any, event: str, arg: Any) -> None:
        nonlocal count
        if event == "call" or event == "c_call":
            count += 1

    old = sys.getprofile()
    sys.setprofile(profile)
    try:
        fn()
    finally:
        sys.setprofile(old)
    return count


def path_segments(path: str) -> List[Any]:
    """The segments of a ValidationError path: ``$.a["b c"][0]`` is ``["a", "b c", 0]``."""
    assert path.startswith("$"), path
    decoder = json.JSONDecoder()
    out: List[Any] = []
    i = 1
    while i < len(path):
        if path[i] == ".":
            j = i + 1
            while j < len(path) and path[j] not in ".[":
                j += 1
            out.append(path[i + 1:j])
            i = j
        elif path.startswith('["', i):
            key, end = decoder.raw_decode(path, i + 1)
            assert path[end] == "]", path
            out.append(key)
            i = end + 1
        else:
            assert path[i] == "[", path
            end = path.index("]", i)
            out.append(int(path[i + 1:end]))
            i = end + 1
    return out


def follow(doc: Any, path: str) -> Any:
    """The value a ValidationError path names in the document it was raised for."""
    for seg in path_segments(path):
        doc = doc[seg]
    return doc
