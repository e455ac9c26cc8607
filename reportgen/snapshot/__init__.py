"""The snapshot: one account at one time, as collected (model, reading, writing)."""
