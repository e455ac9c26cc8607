"""Lessons, handouts and hands-on labs on a local emulator."""
