"""Record: the data classes of the scan path, without the dataclasses module.

Importing dataclasses loads the inspect module, and every @dataclass generates and compiles
its methods at import: together about 14 ms, as much as reading a thousand files. A Record
is declared like a dataclass (annotated fields in order, defaults as class attributes,
`fresh(list)` for a default made anew each time) and gives what the scanner uses of one:
construction by position or keyword, `__post_init__`, equality by field values, a hash when
frozen, a repr, pickling, and `replace(**changes)`.
"""

from __future__ import annotations

from collections.abc import Callable

TYPE_CHECKING = False  # not typing's: the scan path does not import typing
if TYPE_CHECKING:
    from typing import Any


class fresh:  # noqa: N801 - reads as a default: `skipped: list[Skipped] = fresh(list)`
    """A default made anew for each record (a list, a dict), by calling `make`."""

    __slots__ = ("make",)

    def __init__(self, make: Callable[[], object]) -> None:
        self.make = make


class Record:
    """A class's annotated names are its fields, after its bases' fields. Frozen (no
    attribute may be set after construction) unless declared with `frozen=False`."""

    fields: tuple[str, ...] = ()
    _defaults: dict[str, object] = {}

    def __init_subclass__(cls, frozen: bool = True, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        own = tuple(cls.__annotations__)  # this class's own, not its bases'
        defaults = {name: cls.__dict__[name] for name in own if name in cls.__dict__}
        shared = [name for name, value in defaults.items() if isinstance(value, list | dict | set)]
        if shared:
            raise TypeError(f"{cls.__name__}.{shared[0]}: a mutable default would be shared "
                            "by every record (use fresh())")
        cls.fields = tuple(dict.fromkeys((*cls.fields, *own)))
        cls._defaults = {**cls._defaults, **defaults}
        if frozen:
            cls.__setattr__ = cls.__delattr__ = _refuse  # type: ignore[assignment,method-assign]
        else:
            cls.__hash__ = None  # type: ignore[assignment]  # mutable: unhashable

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        name = type(self).__name__
        if len(args) > len(self.fields):
            raise TypeError(f"{name} takes {len(self.fields)} fields, {len(args)} given")
        values = dict(zip(self.fields, args))
        for key, value in kwargs.items():
            if key not in self.fields or key in values:
                raise TypeError(f"{name} got an unexpected or repeated field {key!r}")
            values[key] = value
        for key in self.fields:
            if key not in values:
                if key not in self._defaults:
                    raise TypeError(f"{name} is missing the field {key!r}")
                default = self._defaults[key]
                values[key] = default.make() if isinstance(default, fresh) else default
        self.__dict__.update(values)
        post_init = getattr(self, "__post_init__", None)
        if post_init is not None:
            post_init()

    def _values(self) -> tuple[object, ...]:
        return tuple(getattr(self, key) for key in self.fields)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._values() == other._values()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        shown = ", ".join(f"{key}={getattr(self, key)!r}" for key in self.fields)
        return f"{type(self).__qualname__}({shown})"

    def replace(self, **changes: Any) -> Any:
        """A copy with `changes` to some fields (built anew: `__post_init__` runs again)."""
        return type(self)(**{**{key: getattr(self, key) for key in self.fields}, **changes})


def _refuse(self: Record, name: str, *value: object) -> None:
    raise AttributeError(f"{type(self).__name__} is frozen: cannot change {name!r} "
                         "(use replace())")
