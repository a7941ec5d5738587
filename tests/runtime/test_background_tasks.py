"""background_tasks: async and sync callables, ordering, thread use, errors, concurrency."""

from __future__ import annotations

import asyncio
import functools
import logging
import threading

import pytest

from specloom.runtime.background_tasks import BackgroundTask, BackgroundTasks


def test_runs_async_function_with_args_and_kwargs() -> None:
    calls: list[tuple[str, str]] = []

    async def logging_task(identifier: str, message: str) -> None:
        calls.append((identifier, message))

    asyncio.run(BackgroundTask(logging_task, "greeter", message="was called")())
    assert calls == [("greeter", "was called")]


def test_runs_async_methods_callable_objects_and_partials() -> None:
    calls: list[str] = []

    class Worker:
        async def method(self, value: str) -> None:
            calls.append(f"method {value}")

        async def __call__(self, value: str) -> None:
            calls.append(f"call {value}")

    async def function(value: str) -> None:
        calls.append(f"partial {value}")

    worker = Worker()
    tasks = [
        BackgroundTask(worker.method, "a"),
        BackgroundTask(worker, "b"),
        BackgroundTask(functools.partial(function, "c")),
    ]
    assert all(task.is_async for task in tasks)
    asyncio.run(BackgroundTasks(tasks)())
    assert calls == ["method a", "call b", "partial c"]


def test_sync_callable_runs_in_a_worker_thread() -> None:
    threads: list[int] = []

    def sync_task(value: int) -> None:
        threads.append(threading.get_ident())

    async def run() -> int:
        await BackgroundTask(sync_task, 1)()
        return threading.get_ident()

    loop_thread = asyncio.run(run())
    assert len(threads) == 1 and threads[0] != loop_thread


def test_sync_callable_returning_a_coroutine_is_awaited() -> None:
    calls: list[str] = []

    async def inner() -> None:
        calls.append("inner")

    asyncio.run(BackgroundTask(lambda: inner())())
    assert calls == ["inner"]


def test_tasks_run_in_order() -> None:
    order: list[int] = []

    async def slow(value: int) -> None:
        await asyncio.sleep(0.01)
        order.append(value)

    def fast(value: int) -> None:
        order.append(value)

    tasks = [BackgroundTask(slow, 1), BackgroundTask(fast, 2), BackgroundTask(slow, 3)]
    asyncio.run(BackgroundTasks(tasks)())
    assert order == [1, 2, 3]


@pytest.mark.parametrize("run_in_task_group", [False, True])
def test_a_failing_task_is_logged_and_does_not_stop_the_others(
    caplog: pytest.LogCaptureFixture, run_in_task_group: bool
) -> None:
    done: list[str] = []

    async def failing() -> None:
        raise RuntimeError("boom")

    def failing_sync() -> None:
        raise ValueError("sync boom")

    async def ok() -> None:
        done.append("ok")

    tasks = BackgroundTasks(
        [BackgroundTask(failing), BackgroundTask(failing_sync), BackgroundTask(ok)],
        run_in_task_group=run_in_task_group,
    )
    with caplog.at_level(logging.ERROR, logger="specloom.runtime"):
        asyncio.run(tasks())  # does not raise
    assert done == ["ok"]
    records = [record for record in caplog.records if record.name == "specloom.runtime"]
    assert len(records) == 2
    messages = sorted(str(record.exc_info[1]) for record in records if record.exc_info)
    assert messages == ["boom", "sync boom"]
    assert all("Traceback" in record.exc_text for record in records if record.exc_text)


def test_run_in_task_group_runs_tasks_concurrently() -> None:
    async def run() -> list[str]:
        first_started, second_started = asyncio.Event(), asyncio.Event()
        log: list[str] = []

        async def first() -> None:
            first_started.set()
            await second_started.wait()  # would dead-lock if run sequentially
            log.append("first")

        async def second() -> None:
            second_started.set()
            await first_started.wait()
            log.append("second")

        tasks = BackgroundTasks([BackgroundTask(first), BackgroundTask(second)], True)
        await asyncio.wait_for(tasks(), timeout=2)
        return log

    assert sorted(asyncio.run(run())) == ["first", "second"]


def test_tasks_are_materialised_once() -> None:
    calls: list[int] = []

    def record(value: int) -> None:
        calls.append(value)

    tasks = BackgroundTasks(BackgroundTask(record, value) for value in range(3))

    async def run_twice() -> None:
        await tasks()
        await tasks()

    asyncio.run(run_twice())
    assert calls == [0, 1, 2, 0, 1, 2]
