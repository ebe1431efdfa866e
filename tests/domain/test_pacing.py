"""The pacer keeps sends inside every limit they count against, on an injected clock."""

from __future__ import annotations

from collections.abc import Hashable

from core.delivery.pacing import Limit, Pacer

GLOBAL = Limit("global", 30, 1)
PER_CHAT = Limit("chat", 1, 1)
PER_GROUP = Limit("group", 20 / 60, 1)
Subjects = list[tuple[Limit, Hashable]]


def send_when_allowed(pacer: Pacer, subjects: Subjects, now: float) -> float:
    """When a sender that asks again after each wait gets to send."""
    while (wait := pacer.reserve(now, subjects)) > 0:
        now += wait
    return now


def test_sends_to_one_group_are_spaced_to_twenty_a_minute() -> None:
    pacer, now, times = Pacer(), 0.0, []
    for _ in range(25):
        now = send_when_allowed(pacer, [(GLOBAL, "all"), (PER_GROUP, "G")], now)
        times.append(now)
    assert times[:3] == [0.0, 3.0, 6.0]
    assert sum(1 for t in times if t < 60) == 20


def test_one_chats_wait_does_not_hold_up_the_others() -> None:
    pacer = Pacer()
    assert pacer.reserve(0.0, [(GLOBAL, "all"), (PER_GROUP, "G")]) == 0.0
    # The group's next edit must wait 3 s, and books nothing meanwhile...
    assert pacer.reserve(0.1, [(GLOBAL, "all"), (PER_GROUP, "G")]) > 2.8
    # ...so a DM to someone else goes at once, under the global limit only.
    assert pacer.reserve(0.1, [(GLOBAL, "all"), (PER_CHAT, "someone")]) == 0.0


def test_many_recipients_go_at_the_global_rate() -> None:
    pacer, now = Pacer(), 0.0
    for n in range(300):
        now = send_when_allowed(pacer, [(GLOBAL, "all"), (PER_CHAT, n)], now)
    assert abs(now - 299 / 30) < 1e-6


def test_a_retry_after_pauses_only_the_key_it_names() -> None:
    pacer = Pacer()
    pacer.pause("a", until=10.0)
    assert pacer.reserve(0.0, [(PER_CHAT, "a")]) == 10.0
    assert pacer.reserve(0.0, [(PER_CHAT, "b")]) == 0.0


def test_forgetting_idle_schedules_changes_no_decision() -> None:
    kept, trimmed = Pacer(), Pacer()
    for pacer in (kept, trimmed):
        send_when_allowed(pacer, [(GLOBAL, "all"), (PER_CHAT, "a")], 0.0)
    trimmed.forget_idle(100.0)
    assert trimmed.reserve(100.0, [(PER_CHAT, "a")]) == kept.reserve(100.0, [(PER_CHAT, "a")])
    assert trimmed._next_free == {("chat", "a"): 101.0}  # only the new booking remains
