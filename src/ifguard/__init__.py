"""ifguard: keep /etc/network/interfaces from taking the host offline."""

__version__ = "0.2.0"
