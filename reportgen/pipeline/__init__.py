"""The application: each function composes the stages for one CLI command."""
