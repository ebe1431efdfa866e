"""Machinery every network shares, written once: retry waits (`backoff`), the outbox worker
(`outbox`), the ordered stop (`stopping`) and settings sections (`sections`)."""
