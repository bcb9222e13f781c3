"""Pure rules of the app: no Flask, no SQLAlchemy, time and randomness passed in."""
