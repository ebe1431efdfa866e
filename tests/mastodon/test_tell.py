"""/tell on Mastodon, for real against the fake server: a booster hears it by a direct post,
and one the bot cannot address directly hears it by a mention in a public post (issue 16 §4).

Mastodon does not refuse a direct post to an account that exists; the network reports an
account it cannot address (gone, suspended) as unreachable, which `mark_unreachable` records,
as the adapter does."""

from __future__ import annotations

from core.storage.db import Database
from sandbox.fakes.mastodon_server import FakeMastodon
from tests.mastodon.harness import (
    code_of,
    make_gather,
    replies_to,
    running,
    shows,
    start_gathering,
)

SAID = "Meet at the north gate, bring gloves"


async def test_tell_reaches_a_booster_by_direct_post_and_an_unreachable_one_by_mention(
    database: Database,
) -> None:
    async with FakeMastodon() as m:
        gather = make_gather(database, m)
        alice, bob, cleo = (m.create_account(name) for name in ("alice", "bob", "cleo"))
        async with running(gather, m):
            post = await start_gathering(m, alice)
            code = code_of(post)
            m.boost(bob, post.id)
            m.boost(cleo, post.id)
            await shows(m, post, "3 going")
            gather.mark_unreachable("mastodon", cleo.id)
            asked = m.post_as(alice, f"@gather tell {code} {SAID}", visibility="direct")
            [answer] = await m.wait_for(lambda: replies_to(m, asked), 10)
            assert "Sent to 2 people: 1 by direct message, 1 by a mention in the room." in (
                answer.text
            )
            assert "bob" not in answer.text and "cleo" not in answer.text
            [dm] = await m.wait_for(
                lambda: [s for s in m.dms() if SAID in s.text and bob in s.mentions], 10
            )
            assert dm.mentions == [bob]
            [public] = await m.wait_for(
                lambda: [s for s in m.posts_by() if SAID in s.text and s.visibility != "direct"],
                10,
            )
    assert public.mentions == [cleo]  # only the one who could not be addressed directly
