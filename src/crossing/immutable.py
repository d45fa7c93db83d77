"""Frozen, slotted dataclasses that are cheap to create.

Python 3.11's ``dataclass`` compiles every method it writes from source text when the class is created:
about 0.1 ms a method, close to 1 ms a frozen class, and a start of `crossing play` creates about fifty
such classes before the first scene (a fifth of the start). ``@immutable`` asks ``dataclass`` only for
what costs nothing to make (the fields, the slots, ``__match_args__``) and then gives the class:

- ``__eq__``, ``__hash__``, ``__repr__`` and the frozen guards, the same code for every class, written
  once below, reading the fields through a C ``attrgetter`` made for the class;
- an ``__init__`` compiled ahead of time: ``crossing/_immutable_inits.py`` holds one, as ordinary Python
  that pip compiles once, for every class made here. It is generated from the classes themselves
  (``CROSSING_REGENERATE=1 pytest tests/test_immutable.py`` rewrites it; a test fails when it is out of
  date). A class whose fields differ from what that file was written for is compiled here, as
  ``dataclass`` would, so a stale file costs time, never correctness.

What a class does is a ``@dataclass(frozen=True, slots=True)``'s: the same constructor, equality by class
and compared fields, a hash of the hashed fields, the same repr, FrozenInstanceError on assignment,
pickling and copying, ``__post_init__``; ``dataclasses.fields``, ``replace`` and ``asdict`` work
unchanged. A method written in the class body is kept. ``@immutable_ordered`` adds ``order=True``'s
comparisons. Fields may have a default or a ``default_factory``; a class that needs ``init=False`` or
``kw_only`` uses ``@dataclass`` itself. (Only the class's ``__dataclass_params__`` tells how it was made:
init, eq and frozen read False there.)
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import MISSING, Field, FrozenInstanceError, dataclass, fields
from operator import attrgetter
from typing import Any, TypeVar, dataclass_transform

from crossing import _immutable_inits as prebuilt

_Class = TypeVar("_Class", bound=type)
Shape = tuple[tuple[str, str], ...]  # each field's name, and "", "default" or "factory"

# Every class made here, in the order made: the classes _immutable_inits.py is generated for.
CREATED: list[type] = []
_SET, _DEFAULTS = "_immutable_set", "_immutable_defaults"  # the factories' own names (no field may use them)
_NO_VALUE = object()  # a default_factory field's default: the factory is called when it is left out


def _getter(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """The named fields of an object as a tuple (attrgetter gives a bare value for one name)."""
    if len(names) == 1:
        (name,) = names
        return lambda obj: (getattr(obj, name),)
    if not names:
        return lambda obj: ()
    return attrgetter(*names)


def _eq(self: Any, other: Any) -> Any:
    if other.__class__ is self.__class__:
        compared = self.__class__._compared_fields
        return compared(self) == compared(other)
    return NotImplemented


def _hash(self: Any) -> int:
    return hash(self.__class__._hashed_fields(self))


def _repr(self: Any) -> str:
    shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__class__._shown_fields)
    return f"{self.__class__.__qualname__}({shown})"


def _getstate(self: Any) -> list[Any]:
    return [getattr(self, name) for name in self.__class__.__match_args__]


def _setstate(self: Any, state: list[Any]) -> None:
    for name, value in zip(self.__class__.__match_args__, state, strict=True):
        object.__setattr__(self, name, value)


def _guards(cls: type[Any], names: frozenset[str]) -> tuple[Callable[..., None], Callable[..., None]]:
    """The frozen guards dataclass would compile for cls, as closures over code compiled once here."""

    def __setattr__(self: Any, name: str, value: Any) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    def __delattr__(self: Any, name: str) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)

    return __setattr__, __delattr__


def _hashed(f: Field[Any]) -> bool:
    return f.compare if f.hash is None else f.hash


def key(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _kind(f: Field[Any]) -> str:
    if f.default is not MISSING:
        return "default"
    return "factory" if f.default_factory is not MISSING else ""


def shape(cls: type) -> Shape:
    """What an __init__ is written for: the fields in order, each with the kind of default it has, and
    ("__post_init__", "call") at the end when the class has one."""
    found = tuple((f.name, _kind(f)) for f in fields(cls))
    return (*found, ("__post_init__", "call")) if "__post_init__" in cls.__dict__ else found


def _check(cls: type) -> None:
    for f in fields(cls):
        if not f.init or f.kw_only is True or f.name in (_SET, _DEFAULTS):
            raise TypeError(f"{cls.__name__}.{f.name}: @immutable fields are set by the constructor, in order")


def _assignment(name: str, kind: str) -> str:
    if kind == "factory":  # as dataclass does: a fresh value from the factory when none was given
        value = f"{_DEFAULTS}[{name + '()'!r}]() if {name} is {_DEFAULTS}[{name!r}] else {name}"
    else:
        value = name
    return f"        {_SET}(self, {name!r}, {value})\n"


def factory_source(cls: type) -> str:
    """Python source of a function that makes cls's __init__: what dataclass(frozen=True) would write."""
    names = [(f.name, _kind(f)) for f in fields(cls)]
    params = ", ".join(f"{name}: Any = {_DEFAULTS}[{name!r}]" if kind else f"{name}: Any" for name, kind in names)
    body = "".join(_assignment(name, kind) for name, kind in names)
    if "__post_init__" in cls.__dict__:
        body += "        self.__post_init__()\n"
    return (f"def {_function_name(cls)}({_SET}: Any, {_DEFAULTS}: Any) -> Any:\n"
            f"    def __init__(self: Any{', ' if params else ''}{params}) -> None:\n"
            f"{body or '        pass' + chr(10)}"  # (a class without fields still needs a body)
            f"    return __init__\n")


def _function_name(cls: type) -> str:
    return re.sub(r"\W", "_", key(cls))


def _init(cls: type) -> Callable[..., None]:
    """cls's __init__: prebuilt when _immutable_inits.py was written for these fields, else compiled now."""
    make = prebuilt.FACTORIES.get(key(cls))
    if make is None or prebuilt.SHAPES.get(key(cls)) != shape(cls):
        namespace: dict[str, Any] = {}
        exec(factory_source(cls), {"Any": Any}, namespace)  # source written above from field names only
        make = namespace[_function_name(cls)]
    defaults: dict[str, Any] = {}
    for f in fields(cls):
        if f.default is not MISSING:
            defaults[f.name] = f.default
        elif f.default_factory is not MISSING:
            defaults[f.name], defaults[f.name + "()"] = _NO_VALUE, f.default_factory
    init: Callable[..., None] = make(object.__setattr__, defaults)
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init


def _ordered(op: Callable[[Any, Any], bool]) -> Callable[[Any, Any], Any]:
    """``order=True``'s comparison ``op``: the compared fields in order, for objects of one class only."""

    def compare(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            compared = self.__class__._compared_fields
            return op(compared(self), compared(other))
        return NotImplemented

    return compare


_ORDER = {"__lt__": _ordered(operator.lt), "__le__": _ordered(operator.le), "__gt__": _ordered(operator.gt),
          "__ge__": _ordered(operator.ge)}


def _make(cls: type, *, order: bool) -> Any:
    made: Any = dataclass(init=False, repr=False, eq=False, slots=True)(cls)
    _check(made)
    every = fields(made)
    made._compared_fields = staticmethod(_getter(tuple(f.name for f in every if f.compare)))
    made._hashed_fields = staticmethod(_getter(tuple(f.name for f in every if _hashed(f))))
    made._shown_fields = tuple(f.name for f in every if f.repr)
    setter, deleter = _guards(made, frozenset(f.name for f in every))
    own = {"__init__": _init(made), "__setattr__": setter, "__delattr__": deleter, "__eq__": _eq,
           "__hash__": _hash, "__repr__": _repr, "__getstate__": _getstate, "__setstate__": _setstate}
    if order:
        own.update(_ORDER)
    for name, method in own.items():
        if name in cls.__dict__ and (name in ("__setattr__", "__delattr__") or name in _ORDER):
            raise TypeError(f"Cannot overwrite attribute {name} in class {cls.__name__}")  # as dataclass says
        if name not in cls.__dict__:
            setattr(made, name, method)
    CREATED.append(made)
    return made


@dataclass_transform(frozen_default=True)
def immutable(cls: _Class) -> _Class:
    """``@dataclass(frozen=True, slots=True)``, made without compiling anything in most cases."""
    return _make(cls, order=False)  # type: ignore[no-any-return]


@dataclass_transform(frozen_default=True, order_default=True)
def immutable_ordered(cls: _Class) -> _Class:
    """``@dataclass(frozen=True, slots=True, order=True)``: as ``immutable``, and ordered by its compared
    fields in order (objects of different classes are not ordered)."""
    return _make(cls, order=True)  # type: ignore[no-any-return]


def generated_module(classes: list[type]) -> str:
    """The text of _immutable_inits.py for these classes."""
    ordered = sorted(classes, key=key)
    parts = [
        '"""Prebuilt __init__ methods for the classes made with @immutable (see crossing/immutable.py).\n\n'
        "Generated: do not edit. CROSSING_REGENERATE=1 pytest tests/test_immutable.py writes it again.\n"
        '"""\n\n'
        "from __future__ import annotations\n\n"
        "from collections.abc import Callable\n"
        "from typing import Any\n"
    ]
    for cls in ordered:
        parts.append("\n\n" + factory_source(cls))
    parts.append("\n\nSHAPES: dict[str, tuple[tuple[str, str], ...]] = {\n")
    parts += [f"    {key(cls)!r}: {shape(cls)!r},\n" for cls in ordered]
    parts.append("}\n\nFACTORIES: dict[str, Callable[[Any, Any], Any]] = {\n")
    parts += [f"    {key(cls)!r}: {_function_name(cls)},\n" for cls in ordered]
    parts.append("}\n")
    return "".join(parts)
