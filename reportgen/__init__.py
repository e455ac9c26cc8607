"""reportgen: offline AWS IAM compliance reports and an IAM training kit."""

__version__ = "0.1.0"
