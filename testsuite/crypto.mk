# Crypto tests and benchmarks.
