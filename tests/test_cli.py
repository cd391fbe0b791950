"""The bianmin CLI finds Redis through REDIS_URL (or the embedded default) and manages accounts."""

import subprocess
import sys
from pathlib import Path

from queue_server.store.accounts import Accounts
from tests.conftest import ROOT

BIANMIN = str(Path(sys.executable).parent / "bianmin")


def run(args, redis_url, tmp_path, **env):
    import os
    full = dict(os.environ, REDIS_URL=redis_url, BIANMIN_VAR=str(tmp_path), **env)
    return subprocess.run([BIANMIN, *args], capture_output=True, text=True, env=full, cwd=ROOT, timeout=60)


def test_user_and_device_add(redis, redis_url, tmp_path):
    r = run(["user", "add", "wang", "--role", "clerk", "--hall", "demo", "--password", "s3cret-pass"],
            redis_url, tmp_path)
    assert r.returncode == 0, r.stderr
    assert Accounts(redis).verify("wang", "s3cret-pass")["role"] == "clerk"
    r = run(["device", "add", "kiosk-9", "--hall", "demo", "--kind", "kiosk"], redis_url, tmp_path)
    assert r.returncode == 0, r.stderr
    token = r.stdout.strip().splitlines()[-1]
    assert Accounts(redis).resolve(token)["device_kind"] == "kiosk"


def test_cli_errors_are_clear(redis, redis_url, tmp_path):
    r = run(["user", "add", "x", "--role", "clerk", "--hall", "nowhere", "--password", "longenough"],
            redis_url, tmp_path)
    assert r.returncode == 2 and "unknown hall 'nowhere'" in r.stderr and "Traceback" not in r.stderr
    r = run(["user", "add", "x", "--role", "clerk", "--hall", "demo", "--password", "short"], redis_url, tmp_path)
    assert r.returncode == 2 and "at least 8" in r.stderr
    r = run(["device", "add", "d", "--hall", "demo", "--kind", "kiosk"], "redis://127.0.0.1:1/0", tmp_path)
    assert r.returncode == 1 and "cannot reach Redis" in r.stderr and "Traceback" not in r.stderr


def test_config_check(redis_url, tmp_path):
    r = run(["config", "check"], redis_url, tmp_path)
    assert r.returncode == 0 and "hall demo" in r.stdout
    (tmp_path / "halls").mkdir()
    (tmp_path / "halls" / "x.yaml").write_text("code: x\nname: X\nservices: []\n", "utf-8")
    r = run(["config", "check"], redis_url, tmp_path, BIANMIN_HALLS=str(tmp_path / "halls"))
    assert r.returncode == 1 and "x.yaml: services: must be a non-empty list" in r.stderr


def test_cli_finds_the_embedded_redis_by_itself(redis, redis_url, tmp_path):
    import os
    (tmp_path / "run").mkdir()
    (tmp_path / "run" / "redis.url").write_text(redis_url)
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    env["BIANMIN_VAR"] = str(tmp_path)
    r = subprocess.run([BIANMIN, "device", "add", "disp", "--hall", "demo", "--kind", "display"],
                       capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
    assert r.returncode == 0, r.stderr
    assert Accounts(redis).resolve(r.stdout.strip().splitlines()[-1])
