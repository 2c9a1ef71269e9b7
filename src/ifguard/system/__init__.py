"""The operating system behind small protocols: running commands, time, processes, the
filesystem root, atomic writes. The bottom layer: it imports nothing else of ifguard.
"""
