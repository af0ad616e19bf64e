"""Training and measuring the learned stance classifier on the public benchmarks."""
