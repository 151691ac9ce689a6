"""``make bench``: a generated office at scale (``generate``) and the measurements over it (``run``).

See docs/operations.md, "Benchmarks (``make bench``)"."""
