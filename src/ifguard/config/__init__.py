"""The configuration-file half: find, parse and model what ifupdown will read, with the
settings that tune the linter. Imports only ``ifguard.system``.
"""
