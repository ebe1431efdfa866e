"""The domain rules: pledges and the one count, people and their identities, rooms, codes."""
