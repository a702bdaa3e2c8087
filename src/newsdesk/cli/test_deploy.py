"""deploy/: every command the compose file and the systemd units run is one the CLI accepts."""

from __future__ import annotations

import configparser
import shlex
from pathlib import Path

import click
import pytest
import yaml

from newsdesk.cli.main import cli

DEPLOY = Path(__file__).resolve().parents[3] / "deploy"


def parse_command(argv: list[str]) -> click.Context:
    """Parse ``newsdesk …`` as the CLI would, without running it; a wrong option raises."""
    assert Path(argv[0]).name == "newsdesk", argv
    context = cli.make_context("newsdesk", argv[1:], resilient_parsing=False)
    name, command, rest = cli.resolve_command(context, argv[1:])
    assert command is not None, argv
    sub = command.make_context(str(name), rest, parent=context)
    if isinstance(command, click.Group):
        group_name, leaf, leaf_rest = command.resolve_command(sub, rest)
        assert leaf is not None, argv
        return leaf.make_context(str(group_name), leaf_rest, parent=sub)
    return sub


def compose() -> dict[str, object]:
    loaded: dict[str, object] = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    return loaded


def test_compose_runs_two_web_three_workers_postgres_and_redis_with_health_checks() -> None:
    services: dict[str, dict[str, object]] = compose()["services"]  # type: ignore[assignment]
    assert services["web"]["deploy"] == {"replicas": 2}
    assert services["worker"]["deploy"] == {"replicas": 3}
    assert {"postgres", "redis", "migrate"} <= set(services)
    assert all("healthcheck" in services[s] for s in ("web", "worker", "postgres", "redis"))
    assert "/readyz" in " ".join(services["web"]["healthcheck"]["test"])  # type: ignore[index]
    assert set(compose()["volumes"]) == {"postgres-data", "redis-data"}  # type: ignore[arg-type]


@pytest.mark.parametrize("service", ["web", "worker", "migrate"])
def test_compose_commands_are_accepted_by_the_cli(service: str) -> None:
    services: dict[str, dict[str, object]] = compose()["services"]  # type: ignore[assignment]
    parse_command(list(services[service]["command"]))  # type: ignore[call-overload]


@pytest.mark.parametrize("unit", ["newsdesk-web.service", "newsdesk-worker@.service"])
def test_systemd_commands_are_accepted_by_the_cli(unit: str) -> None:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(DEPLOY / "systemd" / unit)
    service = parser["Service"]
    assert service["KillSignal"] == "SIGTERM"
    for key in ("ExecStartPre", "ExecStart"):
        if key in service:
            parse_command(shlex.split(service[key]))


def test_a_wrong_option_is_caught() -> None:
    with pytest.raises(click.UsageError):
        parse_command(["newsdesk", "worker", "--concurency", "3"])
