"""The soak's community: people on three fake networks organising, joining, leaving, editing
and cancelling, as they would over a week, through the real bots (bench/soak.py drives it).

Gatherings are started on Telegram and Discord (Mastodon has no organiser command), and joined
and left on all three: Telegram's buttons, Discord's buttons, a Mastodon boost and its undo.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import date

from sandbox.demo.world import FakeWorld
from sandbox.fakes.discord_server import FakeMember
from sandbox.fakes.mastodon_entities import Account
from sandbox.fakes.telegram_server import FakeUser
from tests.journey.harness import eventually, m_announcement, press, slash, tap, tg_says

CODE = re.compile(r"\(`?([A-Z0-9]{4,8})`?\)")  # Discord shows it as code
PLACES = ["Portobello beach", "the Meadows", "Leith Links", "Calton Hill", "the canal"]
WHAT = ["Beach clean", "Litter pick", "Tree planting", "Park tidy", "Bulb planting"]


@dataclass
class Gathering:
    code: str
    organiser: FakeUser | FakeMember
    day: date
    cancelled: bool = False
    going: set[str] = field(default_factory=set)  # who, as "network:name"


@dataclass
class Community:
    world: FakeWorld
    chance: random.Random
    telegram: list[FakeUser] = field(default_factory=list)
    discord: list[FakeMember] = field(default_factory=list)
    mastodon: list[Account] = field(default_factory=list)
    gatherings: list[Gathering] = field(default_factory=list)
    actions: dict[str, int] = field(default_factory=dict)

    @classmethod
    def gather_people(cls, world: FakeWorld, per_network: int, seed: int = 7) -> Community:
        """Everyone a member of the linked rooms, with the bot's DMs open to them."""
        people = cls(world, random.Random(seed))
        for n in range(per_network):
            user = world.tg.create_user(f"Tess{n}", username=f"tess{n}")
            world.tg.add_member(world.group, user)
            world.tg.user_starts_bot(user)
            people.telegram.append(user)
            people.discord.append(world.dc.add_member(world.guild, f"dora{n}"))
        people.mastodon = [world.m.create_account(f"mo{n}") for n in range(per_network // 2 + 1)]
        return people

    def _did(self, what: str) -> None:
        self.actions[what] = self.actions.get(what, 0) + 1

    def open_ones(self, today: date) -> list[Gathering]:
        return [g for g in self.gatherings if not g.cancelled and g.day > today]

    # Organisers -------------------------------------------------------------------------

    async def start_one(self, n: int, today: date, ahead: int) -> Gathering:
        """Every other gathering is started on Telegram, the others on Discord."""
        day = date.fromordinal(today.toordinal() + ahead)
        hour = self.chance.choice(["10am", "2pm", "6pm"])
        text = (
            f"{self.chance.choice(WHAT)} at {self.chance.choice(PLACES)}, "
            f"{day.day} {day:%B %Y} {hour}, need {self.chance.randint(4, 9)} people"
        )
        if n % 2 == 0:
            organiser: FakeUser | FakeMember = self.chance.choice(self.telegram)
            assert isinstance(organiser, FakeUser)
            said = await tg_says(self.world, organiser, f"/gather {text}")
        else:
            organiser = self.chance.choice(self.discord)
            assert isinstance(organiser, FakeMember)
            said = await slash(self.world, organiser, "gather", {"text": text})
        match = CODE.search(said)
        assert match, said
        self._did("gather")
        gathering = Gathering(match.group(1), organiser, day)
        self.gatherings.append(gathering)
        return gathering

    async def edit_one(self, today: date) -> None:
        """An organiser on Telegram moves their gathering a day later, at 11:00."""
        mine = [g for g in self.open_ones(today) if isinstance(g.organiser, FakeUser)]
        if not mine:
            return
        gathering = self.chance.choice(mine)
        assert isinstance(gathering.organiser, FakeUser)
        later = date.fromordinal(gathering.day.toordinal() + 1)
        moved = f"/edit {gathering.code} when {later.day} {later:%B %Y} 11am"
        said = await tg_says(self.world, gathering.organiser, moved)
        assert "11:00" in said, said
        gathering.day = later
        self._did("edit")

    async def cancel_one(self, today: date) -> None:
        mine = [g for g in self.open_ones(today) if isinstance(g.organiser, FakeUser)]
        if not mine:
            return
        gathering = self.chance.choice(mine)
        assert isinstance(gathering.organiser, FakeUser)
        said = await tg_says(self.world, gathering.organiser, f"/cancel {gathering.code} rain")
        assert "ancel" in said, said
        gathering.cancelled = True
        self._did("cancel")

    # Everyone else ----------------------------------------------------------------------

    async def join_some(self, gathering: Gathering, count: int) -> None:
        for _ in range(count):
            network = self.chance.choice(["telegram", "telegram", "discord", "discord", "mastodon"])
            await self._join(gathering, network)

    async def _join(self, gathering: Gathering, network: str) -> None:
        if network == "telegram":
            user = self.chance.choice(self.telegram)
            answer = await tap(self.world, user, gathering.code)
            who = f"telegram:{user.first_name}"
        elif network == "discord":
            member = self.chance.choice(self.discord)
            answer = await press(self.world, member, gathering.code)
            who = f"discord:{member.user.username}"
        else:
            account = self.chance.choice(self.mastodon)
            toot = await eventually(lambda: m_announcement(self.world, gathering.code), 60)
            self.world.m.boost(account, toot.id)
            answer, who = "boosted", f"mastodon:{account.username}"
        assert answer, f"no answer to a {network} join"
        gathering.going.add(who)
        self._did(f"join_{network}")

    async def leave_some(self, gathering: Gathering, count: int) -> None:
        for who in self.chance.sample(sorted(gathering.going), min(count, len(gathering.going))):
            network, _, name = who.partition(":")
            if network == "telegram":
                user = next(u for u in self.telegram if u.first_name == name)
                assert await tap(self.world, user, gathering.code, "l")
            elif network == "discord":
                member = next(m for m in self.discord if m.user.username == name)
                assert await press(self.world, member, gathering.code, "leave")
            else:
                account = next(a for a in self.mastodon if a.username == name)
                toot = m_announcement(self.world, gathering.code)
                if toot is not None:
                    self.world.m.unboost(account, toot.id)
            gathering.going.discard(who)
            self._did(f"leave_{network}")
