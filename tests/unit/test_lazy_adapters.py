"""The container's adapters are imported when first built (config/lazy.py): every lazy name it holds
resolves to a real class or function, so a misspelt module or name fails here."""

from __future__ import annotations

from config import container as container_module
from config.container import Container
from config.lazy import Lazy, LazyModule


def _lazies() -> list[Lazy]:
    found = [v for v in vars(container_module).values() if isinstance(v, Lazy)]
    for provider in Container.traverse():
        provides = getattr(provider, "provides", None)
        if isinstance(provides, Lazy):
            found.append(provides)
    return found


def test_every_lazy_adapter_of_the_container_resolves() -> None:
    lazies = _lazies()
    assert len(lazies) > 30  # the adapters are lazy (no eager import block crept back)
    for lazy in lazies:
        target = lazy.resolve()
        assert callable(target), lazy
    modules = [v for v in vars(container_module).values() if isinstance(v, LazyModule)]
    assert {m.module for m in modules} >= {"adapters.queue.rq", "adapters.cache.redis"}


def test_a_lazy_class_builds_the_real_instance_and_survives_the_containers_copy() -> None:
    import copy

    from adapters.system.clock import SystemClock

    lazy = Lazy("adapters.system.clock", "SystemClock")
    assert copy.deepcopy(lazy) is lazy and copy.copy(lazy) is lazy
    assert isinstance(lazy(), SystemClock)
    assert lazy.resolve() is SystemClock
