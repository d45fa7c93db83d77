"""@immutable behaves as @dataclass(frozen=True, slots=True) does: the same equality, hash, repr,
frozenness, fields and copies, for classes of zero, one and several fields."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from dataclasses import dataclass, field

import pytest

from crossing.immutable import immutable


@immutable
class Point:
    x: int
    y: int = 0
    label: str = field(default="", compare=False)
    secret: str = field(default="", repr=False)


@dataclass(frozen=True, slots=True)
class PointDataclass:
    x: int
    y: int = 0
    label: str = field(default="", compare=False)
    secret: str = field(default="", repr=False)


@immutable
class One:
    value: object


@immutable
class Empty:
    pass


@immutable
class Shown:
    value: int

    def __repr__(self) -> str:
        return f"<{self.value}>"


def test_equality_hash_and_repr_match_a_frozen_dataclass() -> None:
    cases = [((1, 2, "a", "s"), (1, 2, "b", "s")), ((1, 2, "a", "s"), (1, 3, "a", "s")), ((1, 2), (1, 2, "x", "t"))]
    for left, right in cases:
        ours, theirs = (Point(*left), Point(*right)), (PointDataclass(*left), PointDataclass(*right))
        assert (ours[0] == ours[1]) is (theirs[0] == theirs[1])
        assert (ours[0] != ours[1]) is (theirs[0] != theirs[1])
        assert hash(ours[0]) == hash(theirs[0])  # both hash the tuple of compared fields
        assert repr(ours[0]) == repr(theirs[0]).replace("PointDataclass", "Point")
    assert Point(1, 2, label="a") == Point(1, 2, label="b")  # label is not compared
    assert "secret" not in repr(Point(1, secret="hidden"))


def test_other_classes_are_never_equal() -> None:
    assert Point(1, 2) != PointDataclass(1, 2)
    assert Point(1, 2).__eq__((1, 2)) is NotImplemented
    assert One(1) != One(2) and One(1) == One(1) and hash(One(1)) == hash((1,))
    assert Empty() == Empty() and hash(Empty()) == hash(())


def test_frozen_and_slotted() -> None:
    point = Point(1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        point.x = 2  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del point.x  # type: ignore[misc]
    assert not hasattr(point, "__dict__")
    assert Point.__slots__ == ("x", "y", "label", "secret")


def test_dataclass_tools_and_copies_work() -> None:
    point = Point(1, 2, "a", "s")
    assert [f.name for f in dataclasses.fields(point)] == ["x", "y", "label", "secret"]
    assert dataclasses.replace(point, y=5) == Point(1, 5, secret="s")
    assert dataclasses.asdict(point) == {"x": 1, "y": 2, "label": "a", "secret": "s"}
    assert pickle.loads(pickle.dumps(point)) == point
    assert copy.deepcopy(point) == point
    assert {point: 1}[Point(1, 2, "other label", "s")] == 1


def test_a_method_written_in_the_class_is_kept() -> None:
    assert repr(Shown(3)) == "<3>"
    assert Shown(3) == Shown(3)
