"""What the facade answers adapters and the web pages: gatherings as pages show them, live
counts, join addresses, and the small lookups adapters need (posts, cursors). Reads, mostly."""
