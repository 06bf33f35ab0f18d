"""Background work of the testing app: one event judged after its transaction commits; the nightly sweep."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="testing.evaluate_event")
def evaluate_event(kind: str, pk: int) -> int:
    from .triggers import HANDLERS

    handler = HANDLERS.get(kind)
    return len(handler(pk)) if handler is not None else 0


@shared_task(name="testing.sweep")
def sweep_task() -> dict[str, int]:
    from .triggers import sweep

    result = sweep()
    return {"events": result.events, "orders": result.orders}
