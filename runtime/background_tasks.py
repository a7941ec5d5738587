"""Background tasks: callables run after a response has been sent."""

from __future__ import annotations

import asyncio
import functools
import inspect
import logging
from collections.abc import Callable, Iterable
from typing import Any, ParamSpec

__all__ = ["BackgroundTask", "BackgroundTasks"]

P = ParamSpec("P")

logger = logging.getLogger("specloom.runtime")


def _is_async_callable(fn: Any) -> bool:
    while isinstance(fn, functools.partial):
        fn = fn.func
    if inspect.iscoroutinefunction(fn):
        return True
    # An object whose __call__ is a coroutine function (a class instance, not a class).
    return not inspect.isclass(fn) and inspect.iscoroutinefunction(type(fn).__call__)


class BackgroundTask:
    """A sync or async callable and its arguments; sync ones run in a worker thread.

    Calling it never raises an `Exception`: a failure is logged on the `specloom.runtime` logger
    with its traceback, since the response is already sent and nobody could handle it.
    """

    __slots__ = ("args", "fn", "is_async", "kwargs")

    def __init__(self, fn: Callable[P, Any], *args: P.args, **kwargs: P.kwargs) -> None:
        self.fn = fn
        self.args = args
        self.kwargs = kwargs
        self.is_async = _is_async_callable(fn)  # decided once, not on every call

    async def __call__(self) -> None:
        try:
            if self.is_async:
                await self.fn(*self.args, **self.kwargs)
            else:
                result = await asyncio.to_thread(self.fn, *self.args, **self.kwargs)
                if inspect.isawaitable(result):  # e.g. a lambda returning a coroutine
                    await result
        except Exception:
            logger.exception("Background task %r failed", self.fn)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.fn!r})"


class BackgroundTasks:
    """Several background tasks, run one after the other, or concurrently if asked.

    With `run_in_task_group=True` the tasks run at the same time and their order is not kept.
    A failing task is logged and does not stop the others.
    """

    __slots__ = ("run_in_task_group", "tasks")

    def __init__(self, tasks: Iterable[BackgroundTask], run_in_task_group: bool = False) -> None:
        self.tasks: tuple[BackgroundTask, ...] = tuple(tasks)
        self.run_in_task_group = run_in_task_group

    async def __call__(self) -> None:
        if not self.run_in_task_group:
            for task in self.tasks:
                await task()
            return
        # Each BackgroundTask logs its own failure, so one task never cancels the group.
        async with asyncio.TaskGroup() as group:
            for task in self.tasks:
                group.create_task(task())

    def __repr__(self) -> str:
        return f"{type(self).__name__}({list(self.tasks)!r})"
