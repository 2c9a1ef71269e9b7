"""The host's network status summary, for the people who look at the host.

``summary`` is pure: facts in (configuration verdicts, probes, bonds, drift, the last
known-good version, what ifguard already did), a ``Summary`` out, rendered as text that fits
above a login prompt on an 80x25 console and as JSON. ``collect`` gathers the facts (from a
lint result and a runtime snapshot, or by checking now); ``publish`` writes the files a
console, an SSH login and ``ifguard status`` read, and tells gettys and terminals about
transitions. Used by ``ifguard watch`` (on every state change), ``ifguard status`` and the
boot check. See docs/console.md.
"""
