"""deploy/compose.yaml and its local override, read as Compose reads them, without starting
anything (deploy/compose-smoke starts the stack for real: minutes, and a container engine).

The stack has every process Civic needs, names only settings that docs/configuration.md
documents, and holds no secret: each one is read from the environment, and Compose refuses to
start without it."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
CIVIC_SERVICES = {"setup", "web", "worker", "beat", "auditlog"}
SERVICES = {"postgres", "rabbitmq", "redis", "mosquitto"} | CIVIC_SERVICES
#: Ports the machine Civic is tested on already serves (its own PostgreSQL, RabbitMQ, Redis,
#: Mosquitto, epmd) and Civic's default; the local stack must keep off them.
HOST_PORTS = {5432, 5672, 6379, 1883, 4369, 25672, 8000}
SECRET_NAME = re.compile(r"(SECRET|PASSWORD|_KEY$|_PASS$)")
INTERPOLATION = re.compile(r"\$\{([A-Z0-9_]+)(?:(:?[-?])([^}]*))?\}")


def load(name: str) -> dict:
    return yaml.safe_load((DEPLOY / name).read_text())


def documented() -> set[str]:
    return set(
        re.findall(r"^\| `([A-Z0-9_]+)` \|", (ROOT / "docs/configuration.md").read_text(), re.M)
    )


def environment(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    assert isinstance(env, dict), "environment as a mapping, so that the override can merge into it"
    return {k: str(v) for k, v in env.items()}


def test_the_stack_has_the_services_and_civic_runs_from_the_one_image():
    services = load("compose.yaml")["services"]
    assert set(services) == SERVICES
    assert services["postgres"]["image"] == "docker.io/library/postgres:15"
    assert services["rabbitmq"]["image"].startswith("docker.io/library/rabbitmq:3")
    # Valkey: Redis's protocol under BSD-3-Clause (Redis 7.4 and later are not open source).
    assert services["redis"]["image"].startswith("docker.io/valkey/valkey:")
    assert services["mosquitto"]["image"] == "docker.io/library/eclipse-mosquitto:2"
    for name in CIVIC_SERVICES:
        assert services[name]["image"] == "${CIVIC_IMAGE:-localhost/civic:latest}", name
        assert "civic-var:/var/lib/civic" in services[name]["volumes"], name


def test_each_civic_process_runs_what_docs_operations_says():
    services = load("compose.yaml")["services"]
    assert services["web"]["command"][0] == "serve"
    assert services["worker"]["entrypoint"] == ["tini", "--", "celery"]
    assert services["worker"]["command"][:3] == ["-A", "civic", "worker"]
    assert services["beat"]["command"][:3] == ["-A", "civic", "beat"]
    assert services["auditlog"]["command"] == ["auditlog", "integrate", "--follow"]
    setup = services["setup"]["command"][0]
    for step in (
        "civic migrate",
        "civic notify templates",
        "civic setup apply",
        "civic collectstatic",
    ):
        assert step in setup
    # Every verb it runs exists (a removed one failed only when the stack was started).
    from django.core.management import get_commands

    for verb in re.findall(r"civic (\w+)", setup):
        assert verb in get_commands(), verb
    assert services["setup"]["restart"] == "no"
    env = environment(services["web"])
    # More than one process: background work on the workers, one integrator.
    assert env["CIVIC_AUDITLOG_INTEGRATOR"] == "off"
    assert env["CIVIC_EVENT_DELIVERY"] == env["CIVIC_NOTIFY_DELIVERY"] == "celery"
    # The image's health check asks the web server; the others serve no HTTP.
    assert services["web"]["healthcheck"]["test"].startswith("civic-healthcheck")
    for name in ("setup", "worker", "beat", "auditlog"):
        assert services[name]["healthcheck"] == {"disable": True}, name
    assert services["web"]["depends_on"]["setup"]["condition"] == "service_completed_successfully"


def test_every_civic_setting_named_is_documented_in_configuration_md():
    names = documented()
    files = ["compose.yaml", "compose.local.yaml", "env.example"]
    used = set()
    for name in files:
        used |= set(
            re.findall(
                r"\b((?:CIVIC_|DATABASE_URL|BROKER_URL)[A-Z0-9_]*)", (DEPLOY / name).read_text()
            )
        )
    used -= {"CIVIC_IMAGE"}  # Compose's, not Civic's: which image to run
    assert used, "no setting found"
    assert used <= names, f"not in docs/configuration.md: {sorted(used - names)}"


def _secret_values(compose: dict):
    for service_name, service in compose["services"].items():
        for key, value in environment(service).items():
            yield service_name, key, value


def test_no_secret_is_written_in_the_compose_files():
    for file in ("compose.yaml", "compose.local.yaml"):
        for service, key, value in _secret_values(load(file)):
            if SECRET_NAME.search(key):
                match = INTERPOLATION.fullmatch(value)
                assert match, (
                    f"{file}: {service}.{key} must come from the environment, not {value!r}"
                )
                assert match.group(3) in (None, "") or match.group(2).endswith("?"), (
                    f"{file}: {service}.{key} has a default"
                )
            for _user, password in re.findall(r"://([^:/@]+):([^@]+)@", value):
                assert INTERPOLATION.fullmatch(password), f"{file}: {service}.{key} has a password"
                assert INTERPOLATION.fullmatch(password).group(2) == ":?", f"{service}.{key}"


def test_every_required_variable_is_in_env_example_with_no_value_for_secrets():
    text = "\n".join(
        line
        for name in ("compose.yaml", "compose.local.yaml")
        for line in (DEPLOY / name).read_text().splitlines()
        if not line.lstrip().startswith("#")
    )
    required = {m.group(1) for m in INTERPOLATION.finditer(text) if m.group(2) == ":?"}
    assert {
        "CIVIC_SECRET_KEY",
        "CIVIC_PSEUDONYM_KEY",
        "POSTGRES_PASSWORD",
        "RABBITMQ_PASSWORD",
    } <= required
    example = dict(
        line.split("=", 1)
        for line in (DEPLOY / "env.example").read_text().splitlines()
        if line and not line.startswith("#")
    )
    assert required <= set(example), f"missing from env.example: {sorted(required - set(example))}"
    for key, value in example.items():
        if SECRET_NAME.search(key):
            assert value == "", f"env.example gives {key} a value"
    assert ".env" in (DEPLOY / ".gitignore").read_text().split()


def test_the_local_override_uses_local_images_the_host_network_and_ports_of_its_own():
    base = load("compose.yaml")["services"]
    local = load("compose.local.yaml")
    assert local["x-podman"] == {"in_pod": False}
    assert set(local["services"]) <= set(base)
    for name, service in local["services"].items():
        assert service["network_mode"] == "host", name
        if name not in CIVIC_SERVICES:
            assert service["image"].startswith("localhost/civic-local/"), name
            # Built by `make image` from deploy/local/<name>/Containerfile.
            assert (DEPLOY / "local" / name / "Containerfile").is_file(), name
            assert service["image"].split("/")[-1] in (DEPLOY / "image/build").read_text()
    text = (DEPLOY / "compose.local.yaml").read_text()
    ports = {int(p) for p in re.findall(r"(?:127\.0\.0\.1:|--port |-p |PORT: \")(\d+)", text)}
    assert {15432, 15672, 16379, 11883, 18000} <= ports
    assert not ports & HOST_PORTS, sorted(ports & HOST_PORTS)
    # Civic's services reach the local ones on those ports.
    env = environment(local["services"]["web"])
    assert "@127.0.0.1:15432/" in env["DATABASE_URL"] and "@127.0.0.1:15672/" in env["BROKER_URL"]
    assert env["CIVIC_CACHE_URL"] == "redis://127.0.0.1:16379/0"


def test_healthcheck_and_command_overrides_are_strings_or_lists_that_compose_replaces():
    """Compose merges lists of an override into the base's (healthcheck tests too, in
    podman-compose) but replaces `command`, `entrypoint` and strings: the override relies on it."""
    base = load("compose.yaml")["services"]
    for name, service in load("compose.local.yaml")["services"].items():
        if "healthcheck" in service:
            assert isinstance(service["healthcheck"]["test"], str), name
            assert isinstance(base[name]["healthcheck"]["test"], str), name
