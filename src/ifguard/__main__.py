from ifguard.cli import run

run()
