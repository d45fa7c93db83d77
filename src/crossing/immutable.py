"""Frozen, slotted dataclasses that are cheap to create.

Python 3.11's ``dataclass`` compiles every method it writes from source text when the class is created:
about 0.1 ms a method, close to 1 ms a frozen class, and a start of `crossing play` creates about fifty
of them before the first scene. ``@immutable`` asks ``dataclass`` only for what must be written for each
class (``__init__`` and the guards that make it frozen) and gives every class the same ``__eq__``,
``__hash__`` and ``__repr__``, written once below, that read the fields through a C ``attrgetter`` made
for the class. What a class does is a ``@dataclass(frozen=True, slots=True)``'s: equality by class and
compared fields, a hash of the hashed fields, the same repr; ``dataclasses.fields``, ``replace`` and
``asdict`` work unchanged. A method written in the class body is kept.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import Field, dataclass, fields
from operator import attrgetter
from typing import Any, TypeVar, dataclass_transform

_Class = TypeVar("_Class", bound=type)


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


def _hashed(f: Field[Any]) -> bool:
    return f.compare if f.hash is None else f.hash


@dataclass_transform(frozen_default=True)
def immutable(cls: _Class) -> _Class:
    """``@dataclass(frozen=True, slots=True)``, built with shared ``__eq__``, ``__hash__`` and ``__repr__``."""
    made: Any = dataclass(frozen=True, slots=True, eq=False, repr=False)(cls)
    every = fields(made)
    made._compared_fields = staticmethod(_getter(tuple(f.name for f in every if f.compare)))
    made._hashed_fields = staticmethod(_getter(tuple(f.name for f in every if _hashed(f))))
    made._shown_fields = tuple(f.name for f in every if f.repr)
    for name, method in (("__eq__", _eq), ("__hash__", _hash), ("__repr__", _repr)):
        if name not in cls.__dict__:
            setattr(made, name, method)
    return made  # type: ignore[no-any-return]
