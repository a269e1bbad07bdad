"""Every setting that comes from the environment, parsed in one place.

A malformed value stops start-up with an error that names the variable.
"""

import os
from pathlib import Path
from urllib.parse import urlparse

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("HDND_VAR_DIR", BASE_DIR / "var"))

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    return value.strip() if value is not None else None


def get_str(name: str, default: str = "") -> str:
    value = _raw(name)
    return default if value is None else value


def get_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {value!r}")


def get_int(name: str, default: int, minimum: int = 0) -> int:
    value = _raw(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {value!r}") from None
    if number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}; got {number}")
    return number


def get_list(name: str, default: list[str]) -> list[str]:
    value = _raw(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def get_url(name: str, schemes: tuple[str, ...], default: str | None) -> str | None:
    value = _raw(name)
    if not value:
        return default
    parsed = urlparse(value)
    if parsed.scheme not in schemes:
        raise ImproperlyConfigured(
            f"{name} must be a URL starting with one of {', '.join(s + '://' for s in schemes)}; got {value!r}"
        )
    return value


def embedded_database_url() -> str:
    """The URL of the embedded PostgreSQL that hdnd_portal.launcher starts (unix socket)."""
    return f"postgresql://postgres@/postgres?host={VAR_DIR / 'pgdata'}"


def embedded_redis_url() -> str:
    return f"redis+socket://{VAR_DIR / 'redis' / 'redis.sock'}"


def persistent_secret_key(path: Path | None = None) -> str:
    """The secret key kept in var/secret_key (mode 600), generated on first start."""
    import secrets

    path = path or VAR_DIR / "secret_key"
    try:
        key = path.read_text().strip()
        if key:
            return key
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    try:
        # O_EXCL: two processes starting at once keep the first key written.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip() or key
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def redis_py_url(url: str) -> str:
    """Celery/kombu spell a unix socket redis+socket://, redis-py and Django's cache unix://."""
    return url.replace("redis+socket://", "unix://", 1)
