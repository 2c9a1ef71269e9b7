"""The running-network half: read the running state (netlink, bonding, Open vSwitch), model
it, compare it with the configuration (drift, plan) and probe it. Imports ``ifguard.config``
and ``ifguard.system``, never apply/, watch/ or commands/.
"""
