"""Use cases: each loads rows, calls the domain and commits."""
