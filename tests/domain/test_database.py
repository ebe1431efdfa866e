"""The database layer: closing waits for work still running in other threads."""

from __future__ import annotations

import threading
import time

from sqlalchemy import text
from sqlalchemy.orm import Session

from core.storage.db import Database, make_engine


def test_dispose_waits_for_a_transaction_still_running_in_another_thread(database_url: str) -> None:
    # A cancelled network task does not stop a core call already running in a worker thread;
    # closing the database under it would leave its connection open (and warned about later).
    database = Database(make_engine(database_url))
    started, finished = threading.Event(), threading.Event()

    def slow_work(session: Session) -> None:
        started.set()
        time.sleep(0.3)
        session.execute(text("SELECT 1"))
        finished.set()

    thread = threading.Thread(target=database.transact, args=(slow_work,))
    thread.start()
    assert started.wait(5)
    database.dispose()
    assert finished.is_set()
    thread.join(5)
