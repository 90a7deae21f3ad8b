"""Adapters imported when first built, not when the container module is imported.

``config.container`` names every adapter, and importing them all costs most of a command's start-up
(SQLAlchemy's Postgres driver, numpy, python-docx, pypdfium2, redis, httpx, jwt, ...: about half a
second), while a command builds a few of them: ``assistant docs`` needs the database and nothing
else. ``Lazy("adapters.extractors.docx", "DocxExtractor")`` stands for the class in the container's
providers and imports its module on the first call (or attribute read); ``LazyModule`` does the
same for a module whose functions the providers name (``rq_queue.connect``). The instances built are
the real ones. tests/unit/test_lazy_adapters.py resolves every one, so a misspelt name fails there,
not in production.
"""

from __future__ import annotations

import importlib
from typing import Any


class Lazy:
    """A class or function ``name`` of ``module``, imported on first use."""

    __slots__ = ("module", "name", "_target")

    def __init__(self, module: str, name: str) -> None:
        self.module, self.name, self._target = module, name, None

    def resolve(self) -> Any:
        if self._target is None:
            self._target = getattr(importlib.import_module(self.module), self.name)
        return self._target

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.resolve()(*args, **kwargs)

    def __getattr__(self, attribute: str) -> Any:
        if attribute.startswith("__"):  # copy, pickle and introspection probes: not the target's
            raise AttributeError(attribute)
        return getattr(self.resolve(), attribute)

    def __deepcopy__(self, memo: dict[int, Any]) -> Lazy:  # the container copies its providers
        return self

    def __copy__(self) -> Lazy:
        return self

    def __repr__(self) -> str:
        return f"Lazy({self.module}:{self.name})"


class LazyModule:
    """A module whose attributes are :class:`Lazy` (``rq_queue.RqJobQueue``)."""

    __slots__ = ("module",)

    def __init__(self, module: str) -> None:
        self.module = module

    def __getattr__(self, name: str) -> Lazy:
        if name.startswith("__"):
            raise AttributeError(name)
        return Lazy(self.module, name)

    def __repr__(self) -> str:
        return f"LazyModule({self.module})"
