"""deploy/kubernetes, checked offline: every manifest against the Kubernetes API's own schemas
(kubernetes-validate ships them), and what Civic needs of them: probes, resources, a locked-down
security context, one beat and one integrator, migrations as a Job, no secret written down."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import kubernetes_validate
import pytest
import yaml
from kubernetes_validate import utils as kv

ROOT = Path(__file__).resolve().parents[2]
KUBE = ROOT / "deploy/kubernetes"
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


def documents(name: str) -> list[dict]:
    return [d for d in yaml.safe_load_all((KUBE / name).read_text()) if d]


def manifests() -> dict[str, list[dict]]:
    return {
        p.name: documents(p.name)
        for p in sorted(KUBE.glob("*.yaml"))
        if p.name != "kustomization.yaml"
    }


def resources() -> list[dict]:
    return [d for docs in manifests().values() for d in docs]


def by(kind: str, name: str) -> dict:
    [found] = [d for d in resources() if d["kind"] == kind and d["metadata"]["name"] == name]
    return found


def pod_templates() -> dict[str, dict]:
    return {
        d["metadata"]["name"]: d["spec"]["template"]
        for d in resources()
        if d["kind"] in ("Deployment", "Job")
    }


def containers(template: dict) -> list[dict]:
    return template["spec"].get("initContainers", []) + template["spec"]["containers"]


def _versions() -> list[str]:
    # The oldest Kubernetes the package has schemas for (from 1.29 on) and the newest.
    shipped = sorted(kv.all_versions(), key=lambda v: tuple(int(p) for p in v.split(".")))
    floor = [v for v in shipped if tuple(int(p) for p in v.split(".")[:2]) >= (1, 29)]
    return sorted({floor[0], shipped[-1]})


@pytest.mark.parametrize("version", _versions())
def test_every_manifest_is_valid_against_the_kubernetes_schemas(version):
    for name, docs in manifests().items():
        for doc in docs:
            # strict: a misspelt or misplaced field is an error, not silently ignored.
            kubernetes_validate.validate(doc, version, strict=True)
        assert docs, name


def test_kustomization_applies_every_manifest_but_the_secret_template():
    kustomization = yaml.safe_load((KUBE / "kustomization.yaml").read_text())
    assert set(kustomization["resources"]) == set(manifests()) - {"secret.example.yaml"}
    [image] = kustomization["images"]
    assert image["name"] == "civic" and image["newTag"] == VERSION


def test_there_are_web_worker_beat_and_integrator_deployments_a_setup_job_and_a_service():
    kinds = {(d["kind"], d["metadata"]["name"]) for d in resources()}
    for expected in (
        ("Deployment", "civic-web"),
        ("Deployment", "civic-worker"),
        ("Deployment", "civic-beat"),
        ("Deployment", "civic-auditlog"),
        ("Job", "civic-setup"),
        ("Service", "civic-web"),
        ("ConfigMap", "civic-config"),
        ("Secret", "civic-secrets"),
        ("PodDisruptionBudget", "civic-web"),
        ("PersistentVolumeClaim", "civic-var"),
    ):
        assert expected in kinds, expected


def test_every_container_runs_the_image_of_this_version_locked_down_with_resources():
    for name, template in pod_templates().items():
        spec = template["spec"]
        assert spec["automountServiceAccountToken"] is False, name
        pod = spec["securityContext"]
        assert (
            pod["runAsNonRoot"] is True and pod["runAsUser"] == 10001 and pod["fsGroup"] == 10001
        ), name
        assert pod["seccompProfile"] == {"type": "RuntimeDefault"}, name
        for container in containers(template):
            where = f"{name}/{container['name']}"
            assert container["image"] == f"civic:{VERSION}", where
            security = container["securityContext"]
            assert security["readOnlyRootFilesystem"] is True, where
            assert security["allowPrivilegeEscalation"] is False, where
            assert security["capabilities"] == {"drop": ["ALL"]}, where
            for bound in ("requests", "limits"):
                assert set(container["resources"][bound]) == {"cpu", "memory"}, where
            # A read-only root needs a writable /tmp (gunicorn's heartbeat files, uploads).
            tmp = {"name": "tmp", "mountPath": "/tmp"}  # noqa: S108 (a mount point)
            assert tmp in container["volumeMounts"], where
            assert container["envFrom"] == [
                {"configMapRef": {"name": "civic-config"}},
                {"secretRef": {"name": "civic-secrets"}},
            ], where


def test_web_is_probed_on_health_and_ready_with_an_allowed_host_and_served_by_the_service():
    web = by("Deployment", "civic-web")
    [server] = web["spec"]["template"]["spec"]["containers"]
    allowed = by("ConfigMap", "civic-config")["data"]["CIVIC_ALLOWED_HOSTS"].split(",")
    for probe, path in (
        ("startupProbe", "/health"),
        ("readinessProbe", "/ready"),
        ("livenessProbe", "/health"),
    ):
        get = server[probe]["httpGet"]
        assert get["path"] == path and get["port"] == "http", probe
        assert get["httpHeaders"] == [{"name": "Host", "value": allowed[0]}], probe
    assert server["ports"] == [{"name": "http", "containerPort": 8000}]
    assert server["args"] == ["serve", "--bind", "0.0.0.0:8000"]
    init = [c["name"] for c in web["spec"]["template"]["spec"]["initContainers"]]
    assert init == ["wait-for-migrations", "collectstatic"]
    service = by("Service", "civic-web")
    assert service["spec"]["selector"] == web["spec"]["selector"]["matchLabels"]
    budget = by("PodDisruptionBudget", "civic-web")
    assert budget["spec"]["selector"] == web["spec"]["selector"]
    assert budget["spec"]["minAvailable"] < web["spec"]["replicas"]


def test_beat_and_the_integrator_run_once_and_only_the_integrator_holds_the_signing_key():
    for name in ("civic-beat", "civic-auditlog"):
        deployment = by("Deployment", name)
        assert deployment["spec"]["replicas"] == 1, name
        assert deployment["spec"]["strategy"] == {"type": "Recreate"}, name
    assert by("ConfigMap", "civic-config")["data"]["CIVIC_AUDITLOG_INTEGRATOR"] == "off"
    holders = [
        name
        for name, template in pod_templates().items()
        if any(
            v.get("secret", {}).get("secretName") == "civic-auditlog-key"
            for v in template["spec"]["volumes"]
        )
    ]
    assert holders == ["civic-auditlog"]
    [integrator] = by("Deployment", "civic-auditlog")["spec"]["template"]["spec"]["containers"]
    assert integrator["args"] == ["auditlog", "integrate", "--follow"]
    assert integrator["env"][0]["name"] == "CIVIC_AUDITLOG_KEY_FILE"
    assert integrator["env"][0]["value"].startswith("/etc/civic/auditlog/")


def test_the_setup_job_migrates_first_and_every_deployment_waits_for_it():
    job = by("Job", "civic-setup")["spec"]["template"]["spec"]
    assert [c["args"][0] for c in job["initContainers"]] == ["migrate", "notify"]
    assert job["containers"][0]["args"] == ["setup", "apply", "/etc/civic/jurisdiction/setup.yaml"]
    assert job["restartPolicy"] == "OnFailure"
    for name, template in pod_templates().items():
        if name != "civic-setup":
            first = template["spec"]["initContainers"][0]
            assert "civic migrate --check" in first["command"][-1], name


def test_settings_are_documented_and_secrets_are_only_in_the_secret_template_and_empty():
    names = set(
        re.findall(r"^\| `([A-Z0-9_]+)` \|", (ROOT / "docs/configuration.md").read_text(), re.M)
    )
    config = by("ConfigMap", "civic-config")["data"]
    secrets = by("Secret", "civic-secrets")["stringData"]
    assert set(config) <= names, sorted(set(config) - names)
    assert set(secrets) <= names, sorted(set(secrets) - names)
    assert not set(config) & set(secrets)
    for key in config:
        assert not re.search(r"SECRET|PASSWORD|_KEY$|DATABASE_URL|BROKER_URL|CACHE_URL", key), key
    for secret in (d for d in resources() if d["kind"] == "Secret"):
        assert set(secret["stringData"].values()) == {""}, secret["metadata"]["name"]
    assert {"CIVIC_SECRET_KEY", "CIVIC_PSEUDONYM_KEY", "DATABASE_URL", "BROKER_URL"} <= set(secrets)
    assert config["CIVIC_ENV"] == "production"
