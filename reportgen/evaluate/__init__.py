"""Evaluation: snapshot model in, Assessment out (catalogue, rules, scoring)."""
