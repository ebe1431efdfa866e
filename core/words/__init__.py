"""Every word a person reads: the catalogue, and gatherings rendered as messages."""
