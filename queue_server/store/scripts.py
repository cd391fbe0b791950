"""Load the Lua scripts (each prefixed with _lib.lua) and run them, mapping failures to domain errors."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from redis.exceptions import NoScriptError

from ..domain import errors

ERRORS = {
    "quota_reached": errors.QuotaReached,
    "window_not_open": errors.WindowNotOpen,
    "window_held": errors.WindowHeld,
    "staff_elsewhere": errors.StaffElsewhere,
    "wrong_state": errors.WrongTicketState,
    "no_current_ticket": errors.NoCurrentTicket,
    "no_such_ticket": errors.NoSuchTicket,
    "forbidden": errors.Forbidden,
    "same_service": errors.InvalidInput,
    "duplicate": errors.Conflict,
}

MESSAGES = {
    "quota_reached": "今日号源已取完",
    "window_not_open": "窗口未开放",
    "window_held": "窗口已由其他工作人员签到",
    "staff_elsewhere": "您已在其他窗口签到",
    "wrong_state": "该号当前状态不允许此操作",
    "no_current_ticket": "窗口当前没有在办的号",
    "no_such_ticket": "没有这个号",
    "forbidden": "只有在该窗口签到的工作人员可以操作",
    "same_service": "已是该业务",
    "duplicate": "重复的请求",
}


class Changed(Exception):
    """The ticket moved between the read and the script; the caller re-reads and tries again."""


@lru_cache(maxsize=None)
def source(name: str) -> str:
    """Return the script text with the shared helpers in front of it."""
    lua = resources.files(__package__).joinpath("lua")
    return lua.joinpath("_lib.lua").read_text("utf-8") + "\n" + lua.joinpath(f"{name}.lua").read_text("utf-8")


class Scripts:
    """The registered scripts of one Redis client (register_script caches the SHA per client)."""

    def __init__(self, redis):
        self._redis = redis
        self._registered = {}

    @property
    def redis(self):
        return self._redis

    def _script(self, name: str):
        script = self._registered.get(name)
        if script is None:
            script = self._registered[name] = self._redis.register_script(source(name))
        return script

    def run(self, name: str, keys: list[str], args: list) -> list:
        """Run a script; return its reply after 'ok'/'empty', or raise the domain error it names."""
        return self._checked(self._script(name)(keys=keys, args=[str(a) for a in args]))

    def run_and_read(self, name: str, keys: list[str], args: list, read) -> tuple[list, list]:
        """Run a script and then `read(pipeline)`'s commands in the same round trip; (reply, their replies).

        The reads see the state just after the script (Redis runs a pipeline's commands in order).
        """
        script = self._script(name)
        argv = [str(a) for a in args]

        def send() -> list:
            # EVALSHA by hand: a Script run through a pipeline costs an extra SCRIPT EXISTS round trip.
            pipe = self._redis.pipeline(transaction=False)
            pipe.evalsha(script.sha, len(keys), *keys, *argv)
            read(pipe)
            return pipe.execute()

        try:
            replies = send()
        except NoScriptError:  # a restarted or flushed Redis: the script did not run, so load it and send again
            self._redis.script_load(script.script)
            replies = send()
        return self._checked(replies[0]), replies[1:]

    @staticmethod
    def _checked(reply: list) -> list:
        status = reply[0]
        if status == "err":
            code, detail = reply[1], reply[2] if len(reply) > 2 else ""
            if code == "changed":
                raise Changed(detail)
            exc = ERRORS.get(code, errors.Conflict)
            raise exc(MESSAGES.get(code, code), detail=detail)
        return reply


def pairs(flat: list) -> dict:
    """Turn a flat [k1, v1, k2, v2, …] reply into a dict."""
    return {flat[i]: flat[i + 1] for i in range(0, len(flat) - 1, 2)}
