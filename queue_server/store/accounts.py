"""Users, devices and bearer tokens; passwords hashed with scrypt, tokens stored only as digests."""

from __future__ import annotations

import hashlib
import secrets

from werkzeug.security import check_password_hash, generate_password_hash

from . import keys

# Werkzeug's scrypt (n=2^15, r=8, p=1) is a real memory-hard KDF and needs no extra dependency.
PASSWORD_METHOD = "scrypt"


def digest(token: str) -> str:
    """SHA-256 of a token: a stolen database does not yield usable tokens."""
    return hashlib.sha256(token.encode()).hexdigest()


class Accounts:
    """Account storage: users with roles, devices with kinds, and the tokens issued to both."""

    def __init__(self, redis):
        self.redis = redis

    def add_user(self, username: str, *, role: str, hall: str, password: str, name: str = "") -> dict:
        """Create or replace a user account."""
        record = {
            "username": username,
            "role": role,
            "hall": hall,
            "name": name or username,
            "password": generate_password_hash(password, method=PASSWORD_METHOD),
        }
        pipe = self.redis.pipeline()
        pipe.delete(keys.user(username))
        pipe.hset(keys.user(username), mapping=record)
        pipe.sadd(keys.users(), username)
        pipe.execute()
        return record

    def user(self, username: str) -> dict | None:
        """The stored account, or None."""
        return self.redis.hgetall(keys.user(username)) or None

    def display_names(self, usernames: list[str]) -> dict[str, str]:
        """username -> display name (the username when none is set), in one round trip."""
        pipe = self.redis.pipeline(transaction=False)
        for username in usernames:
            pipe.hget(keys.user(username), "name")
        return {u: name or u for u, name in zip(usernames, pipe.execute())}

    def usernames(self) -> list[str]:
        return sorted(self.redis.smembers(keys.users()))

    def verify(self, username: str, password: str) -> dict | None:
        """The account when the password matches, else None."""
        record = self.user(username)
        if record is None:
            # Spend the same KDF time as a real check so usernames cannot be probed by timing.
            check_password_hash(_DUMMY_HASH, password)
            return None
        return record if check_password_hash(record["password"], password) else None

    def add_device(self, name: str, *, hall: str, kind: str) -> str:
        """Register a device and return its new token (any previous token stops working)."""
        old = self.redis.hget(keys.device(name), "token_digest")
        token = "dev_" + secrets.token_urlsafe(32)
        pipe = self.redis.pipeline()
        if old:
            pipe.delete(keys.token(old))
        pipe.hset(keys.device(name), mapping={"name": name, "hall": hall, "kind": kind,
                                              "token_digest": digest(token)})
        pipe.sadd(keys.devices(), name)
        pipe.hset(keys.token(digest(token)), mapping={"kind": "device", "subject": name,
                                                       "role": "device", "hall": hall,
                                                       "device_kind": kind})
        pipe.execute()
        return token

    def issue_token(self, username: str, *, role: str, hall: str, ttl_s: int) -> str:
        """Create a login token that expires after `ttl_s`."""
        token = secrets.token_urlsafe(32)
        key = keys.token(digest(token))
        pipe = self.redis.pipeline()
        pipe.hset(key, mapping={"kind": "user", "subject": username, "role": role, "hall": hall})
        pipe.expire(key, ttl_s)
        pipe.execute()
        return token

    def resolve(self, token: str) -> dict | None:
        """Who a token belongs to, or None if unknown or expired."""
        if not token or len(token) > 200:
            return None
        return self.redis.hgetall(keys.token(digest(token))) or None

    def revoke(self, token: str) -> None:
        self.redis.delete(keys.token(digest(token)))

    def count_failure(self, subject: str, window_s: int) -> int:
        """Count a failed login for a username or address; return the count in the window."""
        key = keys.login_failures(subject)
        pipe = self.redis.pipeline()
        # SET NX EX starts the window once; Redis 6.2 has no EXPIRE NX.
        pipe.set(key, 0, ex=window_s, nx=True)
        pipe.incr(key)
        _, count = pipe.execute()
        return int(count)

    def failures(self, subject: str) -> tuple[int, int]:
        """(failed logins so far, seconds until the count resets)."""
        key = keys.login_failures(subject)
        pipe = self.redis.pipeline()
        pipe.get(key)
        pipe.ttl(key)
        count, ttl = pipe.execute()
        return int(count or 0), max(0, int(ttl or 0))

    def clear_failures(self, subject: str) -> None:
        self.redis.delete(keys.login_failures(subject))


_DUMMY_HASH = generate_password_hash("not a real password", method=PASSWORD_METHOD)
