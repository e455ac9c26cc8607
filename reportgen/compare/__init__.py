"""Comparison of assessments: diff between two, trend over many."""
