"""@immutable behaves as @dataclass(frozen=True, slots=True) does: the same equality, hash, repr,
frozenness, fields and copies, for classes of zero, one and several fields."""

from __future__ import annotations

import copy
import dataclasses
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from crossing import _immutable_inits as prebuilt
from crossing import immutable as immutable_module
from crossing.immutable import immutable, immutable_ordered


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


def crossing_classes() -> list[type]:
    """Every @immutable class in the package (importing each module makes its classes)."""
    import importlib
    import pkgutil

    import crossing

    for module in pkgutil.walk_packages(crossing.__path__, "crossing."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)
    return [cls for cls in immutable_module.CREATED if cls.__module__.startswith("crossing.")]


def test_the_prebuilt_inits_are_current() -> None:
    """_immutable_inits.py holds an __init__ for every class, for its fields as they are now (else those
    classes are compiled at every start: correct, but the time it saves is lost)."""
    path = Path(immutable_module.__file__).with_name("_immutable_inits.py")
    expected = immutable_module.generated_module(crossing_classes())
    if os.environ.get("CROSSING_REGENERATE") == "1":
        path.write_text(expected, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == expected, "out of date: CROSSING_REGENERATE=1 rewrites it"


def test_a_class_whose_fields_changed_is_compiled_as_dataclass_would() -> None:
    @immutable
    class Changed:
        first: int
        second: str = "x"

    assert immutable_module.key(Changed) not in prebuilt.FACTORIES  # nothing prebuilt for it: compiled here
    assert Changed(1) == Changed(1, "x") and Changed(first=2, second="y").second == "y"
    with pytest.raises(TypeError):
        Changed()  # type: ignore[call-arg]


def test_what_immutable_cannot_make_is_refused() -> None:
    with pytest.raises(TypeError, match="set by the constructor"):

        @immutable
        class NotInit:
            items: list[int] = field(default=0, init=False)  # type: ignore[assignment]


def test_a_default_factory_gives_each_object_its_own_value() -> None:
    @immutable
    class Bag:
        name: str
        items: list[int] = field(default_factory=list)

    first, second = Bag("a"), Bag("b")
    first.items.append(1)
    assert second.items == [] and first.items == [1]
    assert Bag("c", [2]).items == [2]


@immutable_ordered
class Spot:
    file: str
    line: int


@dataclass(frozen=True, slots=True, order=True)
class SpotDataclass:
    file: str
    line: int


def test_ordered_classes_sort_as_dataclass_order_does() -> None:
    values = [("b", 2), ("a", 9), ("a", 10), ("b", 1), ("a", 9)]
    assert [(s.file, s.line) for s in sorted(Spot(*v) for v in values)] == \
        [(s.file, s.line) for s in sorted(SpotDataclass(*v) for v in values)]
    assert Spot("a", 1) <= Spot("a", 1) < Spot("a", 2) and Spot("b", 0) > Spot("a", 5) >= Spot("a", 5)
    with pytest.raises(TypeError):
        Spot("a", 1) < SpotDataclass("a", 1)  # noqa: B015  (different classes are not ordered)


def test_post_init_runs_after_the_fields_are_set() -> None:
    seen = []

    @immutable
    class Checked:
        value: int

        def __post_init__(self) -> None:
            seen.append(self.value)
            if self.value < 0:
                raise ValueError("negative")

    assert Checked(3).value == 3 and seen == [3]
    with pytest.raises(ValueError):
        Checked(-1)
