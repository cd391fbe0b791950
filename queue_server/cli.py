"""The `bianmin` command: accounts, devices, config checks and the all-in-one dev launcher."""

from __future__ import annotations

import sys

import click
import redis as redis_lib

from config.halls import load_halls
from config.settings import Settings

from .domain.access import DEVICE_KINDS
from .domain.errors import ConfigError
from .hub import connect


def _settings() -> Settings:
    return Settings.from_env()


def _halls(settings: Settings):
    try:
        return load_halls(settings.halls_dir)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None


def _redis(settings: Settings):
    client = connect(settings.redis_url)
    try:
        client.ping()
    except redis_lib.exceptions.RedisError as exc:
        raise click.ClickException(
            f"cannot reach Redis at {settings.redis_url} ({exc}); start it with `make run` or set REDIS_URL"
        ) from None
    return client


@click.group()
def main():
    """Bianmin queue server administration."""


@main.group()
def user():
    """Manage staff accounts."""


@user.command("add")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice(["admin", "manager", "clerk"]))
@click.option("--hall", default="", help="Hall code (not needed for admin).")
@click.option("--password", required=True, help="At least 8 characters.")
@click.option("--name", default="", help="Display name, e.g. 张伟.")
def user_add(username, role, hall, password, name):
    """Create or replace a user."""
    from .store.accounts import Accounts

    settings = _settings()
    halls = _halls(settings)
    if role != "admin" and hall not in halls:
        raise click.BadParameter(f"unknown hall {hall!r} (known: {', '.join(halls)})", param_hint="--hall")
    if len(password) < 8:
        raise click.BadParameter("must be at least 8 characters", param_hint="--password")
    if not username.replace("_", "").replace("-", "").replace(".", "").isalnum() or len(username) > 64:
        raise click.BadParameter("use letters, digits, '.', '-' or '_' (max 64)", param_hint="USERNAME")
    Accounts(_redis(settings)).add_user(username, role=role, hall="" if role == "admin" else hall,
                                        password=password, name=name)
    click.echo(f"user {username} ({role}{' of ' + hall if role != 'admin' else ''}) saved")


@main.group()
def device():
    """Manage kiosks, displays and gateways."""


@device.command("add")
@click.argument("name")
@click.option("--hall", required=True)
@click.option("--kind", required=True, type=click.Choice(list(DEVICE_KINDS)))
def device_add(name, hall, kind):
    """Register a device; prints its token as the last line."""
    from .store.accounts import Accounts

    settings = _settings()
    halls = _halls(settings)
    if hall not in halls:
        raise click.BadParameter(f"unknown hall {hall!r} (known: {', '.join(halls)})", param_hint="--hall")
    token = Accounts(_redis(settings)).add_device(name, hall=hall, kind=kind)
    click.echo(f"device {name} ({kind} of {hall}) registered; its token (shown once):")
    click.echo(token)


@main.group()
def config():
    """Hall configuration."""


@config.command("check")
def config_check():
    """Validate every hall definition and summarise it."""
    settings = _settings()
    halls = _halls(settings)
    for hall in halls.values():
        click.echo(f"{hall.source}: hall {hall.code} {hall.name}: {len(hall.services)} services, "
                   f"{len(hall.windows)} windows — ok")


@main.group()
def sim():
    """Control the demo's simulated clerks."""


@sim.command("away")
@click.argument("window")
def sim_away(window):
    """Silence the simulated clerk at WINDOW: no heartbeats, so the window goes away."""
    from devices.simclerks import read_control, write_control

    var = _settings().var
    silent = set(read_control(var).get("silent", [])) | {window}
    write_control(var, sorted(silent))
    click.echo(f"window {window}: simulated clerk stopped sending heartbeats")


@sim.command("back")
@click.argument("window")
def sim_back(window):
    """Let the simulated clerk at WINDOW send heartbeats again."""
    from devices.simclerks import read_control, write_control

    var = _settings().var
    silent = set(read_control(var).get("silent", [])) - {window}
    write_control(var, sorted(silent))
    click.echo(f"window {window}: simulated clerk is back")


@sim.command("key")
@click.argument("window")
@click.argument("key", type=click.Choice(["next", "recall", "no-show", "pause", "finish", "rate"]))
@click.argument("value", required=False, type=click.IntRange(1, 5))
def sim_key(window, key, value):
    """Press a key on the simulated caller keypad of WINDOW (or `rate N` on its evaluator)."""
    from devices.simhall import press

    press(_settings().var, window, key, value)
    click.echo(f"window {window}: pressed {key}{' ' + str(value) if value else ''}")


@main.command()
def dev():
    """Start everything on the embedded default (what `make run` runs)."""
    from .launcher import run

    sys.exit(run())


if __name__ == "__main__":
    main()
