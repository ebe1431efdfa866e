"""One module per group of commands: what a command does, in one transaction."""
