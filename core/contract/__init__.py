"""What adapters and the core say to each other: commands, replies, identities, messages."""
