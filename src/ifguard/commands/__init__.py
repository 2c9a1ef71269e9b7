"""Subcommands. Each module defines NAME, HELP, DESCRIPTION, configure(parser), run(args)."""
