"""Messages owed to others: the outbox, its receipts, pacing, notices and reminders."""
