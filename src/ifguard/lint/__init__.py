"""Checking configuration: the rules, the engine that runs them, safe fixes and report
formats. Imports ``ifguard.config`` and ``ifguard.system``.
"""
