"""`ifguard watch`: detect broken configs and degraded links, alert, export metrics."""
