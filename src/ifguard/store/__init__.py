"""Persistent state shared by apply and watch: the history of configuration versions."""
