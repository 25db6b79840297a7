"""Benchmarks, run with `make bench` (`python -m bench`). Each prints its figures and the
ratio to a reference measured in the same run. See docs/operations.md."""
