"""A fictional company's AWS account in moto, for the demo, the labs, the tests and benchmarks."""
