"""The faster __init__ for frozen dataclasses behaves as the dataclass's own: the same
parameters and defaults, a fresh default from each factory, __post_init__ run, and the
instance still frozen, equal and hashable."""

from __future__ import annotations

import dataclasses
import inspect
from typing import Any

import pytest

from carewatch.kids.tracking.frozen import quick_init


def _sample(quick: bool) -> Any:
    """The same dataclass twice: as Python makes it, and with quick_init."""

    @dataclasses.dataclass(frozen=True, slots=True)
    class Sample:
        name: str
        size: int = 3
        tags: dict[str, int] = dataclasses.field(default_factory=dict, hash=False)

        def __post_init__(self) -> None:
            if self.size < 0:
                raise ValueError("size")

    return quick_init(Sample) if quick else Sample


Plain, Quick = _sample(quick=False), _sample(quick=True)


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [(("a",), {}), (("a", 5), {}), (("a",), {"tags": {"x": 1}}), ((), {"name": "b", "size": 0})],
)
def test_it_builds_what_the_dataclass_builds(args: tuple, kwargs: dict) -> None:
    quick, plain = Quick(*args, **kwargs), Plain(*args, **kwargs)
    assert dataclasses.astuple(quick) == dataclasses.astuple(plain)
    assert quick == Quick(*args, **kwargs)
    assert hash(quick) == hash(Quick(*args, **kwargs))


def test_each_instance_gets_its_own_default_from_the_factory() -> None:
    assert Quick("a").tags is not Quick("a").tags


def test_post_init_still_checks_and_missing_or_unknown_arguments_fail_as_before() -> None:
    with pytest.raises(ValueError):
        Quick("a", -1)
    with pytest.raises(TypeError):
        Quick()
    with pytest.raises(TypeError):
        Quick("a", colour="red")


def test_the_instance_stays_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        Quick("a").size = 4


def test_the_parameters_keep_their_names_and_order() -> None:
    assert list(inspect.signature(Quick).parameters) == ["name", "size", "tags"]


def test_a_field_outside_init_is_refused() -> None:
    @dataclasses.dataclass(frozen=True, slots=True)
    class Hidden:
        name: str
        made: int = dataclasses.field(default=0, init=False)

    with pytest.raises(TypeError, match="every field must be an __init__ parameter"):
        quick_init(Hidden)


def test_a_dataclass_without_fields_is_refused_with_its_own_reason() -> None:
    @dataclasses.dataclass(frozen=True, slots=True)
    class Empty:
        pass

    with pytest.raises(TypeError, match="without fields needs no quick_init"):
        quick_init(Empty)
