"""Configuration read from QUIZ_* environment variables."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _instance_secret(instance: Path) -> str:
    """A secret key kept in instance/secret_key, made on first use (for one machine)."""
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


class Config:
    """Settings for running the app; every value can be set with a QUIZ_* variable."""

    TESTING = False

    def __init__(self) -> None:
        env = os.environ
        self.INSTANCE_PATH = Path(env.get("QUIZ_INSTANCE_PATH", ROOT / "instance"))
        self.SQLALCHEMY_DATABASE_URI = env.get(
            "QUIZ_DATABASE_URL", f"sqlite:///{self.INSTANCE_PATH / 'quiz.sqlite3'}")
        self.SECRET_KEY = env.get("QUIZ_SECRET_KEY") or _instance_secret(self.INSTANCE_PATH)
        self.BANKS_DIR = Path(env.get("QUIZ_BANKS_DIR", ROOT / "questions"))
        self.LOGIN_MAX_FAILURES = int(env.get("QUIZ_LOGIN_MAX_FAILURES", "5"))
        self.LOGIN_WINDOW_SECONDS = int(env.get("QUIZ_LOGIN_WINDOW_SECONDS", "900"))
        self.LOGIN_MAX_FAILURES_PER_ADDRESS = int(env.get("QUIZ_LOGIN_MAX_FAILURES_PER_ADDRESS", "50"))
        self.GUEST_MAX_PER_ADDRESS = int(env.get("QUIZ_GUEST_MAX_PER_ADDRESS", "100"))
        self.GUEST_WINDOW_SECONDS = int(env.get("QUIZ_GUEST_WINDOW_SECONDS", "3600"))
        # Proxies in front of the app (nginx: 1) whose X-Forwarded-For/-Proto are believed.
        self.TRUSTED_PROXIES = int(env.get("QUIZ_TRUSTED_PROXIES", "0"))
        self.SESSION_COOKIE_SECURE = env.get("QUIZ_SECURE_COOKIES", "0") == "1"
        self.REMEMBER_COOKIE_SECURE = self.SESSION_COOKIE_SECURE
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.REMEMBER_COOKIE_HTTPONLY = True
        self.REMEMBER_COOKIE_SAMESITE = "Lax"
        self.SQLALCHEMY_ENGINE_OPTIONS: dict[str, object] = {"pool_pre_ping": True}
        if not self.SQLALCHEMY_DATABASE_URI.startswith("sqlite"):
            # Per app process. A request holds a connection only while it reads or writes (event
            # streams give theirs back between reads), so a gevent worker serving 1,000 phones
            # needs a few dozen; one that waits longer than the timeout gets an error page, not
            # a hung phone. Keep workers × (size + overflow) below PostgreSQL's max_connections.
            self.SQLALCHEMY_ENGINE_OPTIONS.update(
                pool_size=int(env.get("QUIZ_DB_POOL_SIZE", "10")),
                max_overflow=int(env.get("QUIZ_DB_POOL_OVERFLOW", "10")),
                pool_timeout=float(env.get("QUIZ_DB_POOL_TIMEOUT", "10")))
        # The largest request body accepted (bytes); a larger one gets a 413 page.
        self.MAX_CONTENT_LENGTH = int(env.get("QUIZ_MAX_CONTENT_LENGTH", str(256 * 1024)))
        self.WTF_CSRF_TIME_LIMIT = None  # tokens live as long as the session
        # Live games: Redis pub/sub between app processes when set (else streams poll the database).
        self.REDIS_URL = env.get("QUIZ_REDIS_URL") or None
        self.REDIS_CHANNEL_PREFIX = env.get("QUIZ_REDIS_CHANNEL_PREFIX", "quiz")
        # A game's event stream ends after this many seconds; the browser reconnects at once.
        self.GAME_STREAM_SECONDS = float(env.get("QUIZ_GAME_STREAM_SECONDS", "300"))


class TestConfig(Config):
    """Settings for the test suite: a throw-away database, fast password hashing."""

    TESTING = True

    def __init__(self, database_url: str, instance_path: Path) -> None:
        os.environ.setdefault("QUIZ_SECRET_KEY", "test-secret")
        super().__init__()
        self.INSTANCE_PATH = instance_path
        self.SQLALCHEMY_DATABASE_URI = database_url
        self.PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
