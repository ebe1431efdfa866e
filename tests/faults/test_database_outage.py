"""FAULTS.md 46: PostgreSQL unreachable for a while (its connections cut and refused, through a
TCP relay the test controls). Commands answer "try again" and write nothing; reminders that
fell due meanwhile go out once afterwards."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from core.app import Gather
from core.clock import FixedClock
from core.storage.db import Database, make_engine
from core.storage.models import Gathering, Pledge
from core.words import i18n
from tests.conftest import make_settings
from tests.domain.chat import Chat, code_in, text_of
from tests.domain.test_reminders import BEACH, START


class Relay:
    """A TCP relay to the database that can be cut (every connection closed, new ones refused)
    and restored on the same port."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.port = 0
        self._sockets: list[socket.socket] = []
        self._listener: socket.socket | None = None
        self._lock = threading.Lock()

    def up(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def down(self) -> None:
        with self._lock:
            if self._listener is not None:
                # close() alone leaves a thread blocked in accept() listening; shutdown wakes it.
                with contextlib.suppress(OSError):
                    self._listener.shutdown(socket.SHUT_RDWR)
                self._listener.close()
                self._listener = None
            for sock in self._sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self._sockets.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # closed by down()
            server = socket.create_connection(self.target)
            with self._lock:
                self._sockets += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_WR)


@pytest.fixture
def relayed(database_url: str, database: Database) -> Iterator[tuple[Relay, str]]:
    if not database_url.startswith("postgresql"):
        pytest.skip("a network outage of the database needs PostgreSQL")
    url = make_url(database_url)
    relay = Relay(url.host or "127.0.0.1", url.port or 5432)
    relay.up()
    yield relay, url.set(host="127.0.0.1", port=relay.port).render_as_string(hide_password=False)
    relay.down()


def test_commands_say_try_again_while_the_database_is_away_and_nothing_is_lost(
    relayed: tuple[Relay, str], database: Database
) -> None:
    relay, url = relayed
    clock = FixedClock(START - timedelta(days=2))
    through_relay = Database(make_engine(url))
    gather = Gather(make_settings(), through_relay, clock)
    gather.prepare()
    chat = Chat(gather)
    code = code_in(chat.say("alice", BEACH))
    chat.deliver_all()
    try:
        relay.down()
        refused = chat.say("bob", f"/join {code}", event_key="bob-join")
        assert not refused.ok and refused.failed is not None
        assert text_of(refused) == i18n.text("en", "reply.trouble")
        clock.set(START - timedelta(days=1))  # a reminder falls due during the outage
        with pytest.raises(Exception):  # noqa: B017 - whichever error the driver raises
            gather.claim("console", "w", 100)
        # Nothing half-written: the direct connection sees no pledge of Bob's.
        with database.session() as session:
            assert session.scalar(select(func.count(Pledge.id))) == 1
            assert session.scalar(select(func.count(Gathering.id))) == 1
        relay.up()
        # The adapter retries the event it kept (a dead letter): it is handled afresh.
        assert chat.say("bob", f"/join {code}", event_key="bob-join").ok
        reminders = [d for d in chat.deliver_all() if d.purpose == "reminder"]
        assert [d.recipient.native_id for d in reminders if d.recipient] == ["alice"]
        clock.set(START - timedelta(hours=2))
        again = [d for d in chat.deliver_all() if d.purpose == "reminder"]
        assert sorted(d.recipient.native_id for d in again if d.recipient) == ["alice", "bob"]
        assert chat.deliver_all() == []  # nothing twice
    finally:
        through_relay.dispose()
