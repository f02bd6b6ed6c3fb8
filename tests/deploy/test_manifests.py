"""The deployment files, checked as far as a machine without a container engine can.

No Docker engine or Kubernetes cluster runs here, so nothing is built or applied. What is
checked: the manifests parse; every environment variable they set is one the server reads
(`AppConfiguration`); the probe paths, container port and Prometheus annotations answer on a
live `loanrisk serve`; the CronJob's `loanrisk score` options are the CLI's; the Dockerfile's
build command is the README's, and its entry point is the Procfile's.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from loanrisk_fixtures import loanrisk_servers  # noqa: E402, F401 (a fixture)
from loanrisk_server import REPO_ROOT, find_binary  # noqa: E402

K8S = REPO_ROOT / "deploy" / "k8s"
DOCKERFILE = REPO_ROOT / "deploy" / "Dockerfile"


def documents() -> list[dict]:
    docs = []
    for path in sorted(K8S.glob("*.yaml")):
        docs += [doc for doc in yaml.safe_load_all(path.read_text()) if doc]
    return docs


def containers(docs: list[dict]) -> list[dict]:
    found = []
    for doc in docs:
        spec = doc.get("spec", {})
        template = spec.get("template") or spec.get("jobTemplate", {}).get("spec", {}).get("template")
        if template:
            found += template["spec"]["containers"]
    return found


def variables_the_server_reads() -> set[str]:
    """Every `environment["NAME"]` of the configuration (AppConfiguration and its parts, such
    as AccountsConfiguration's AUTH and METRICS_TOKEN)."""
    found = set()
    for source in (REPO_ROOT / "Sources" / "App" / "Setup").glob("*.swift"):
        found |= set(re.findall(r'environment\["([A-Z_]+)"\]', source.read_text()))
    return found


def test_every_manifest_parses_and_names_its_kind():
    docs = documents()
    kinds = {doc["kind"] for doc in docs}
    assert {"Deployment", "Service", "HorizontalPodAutoscaler", "Secret", "CronJob"} <= kinds
    for doc in docs:
        assert doc["apiVersion"] and doc["metadata"]["name"]


def test_every_variable_set_is_one_the_server_reads():
    read = variables_the_server_reads()
    assert {"PORT", "DATABASE_PATH", "ADMIN_TOKEN", "METRICS_TOKEN"} <= read
    set_here = {env["name"] for c in containers(documents()) for env in c.get("env", [])}
    set_here |= {key for doc in documents() if doc["kind"] == "Secret" for key in doc.get("stringData", {})}
    for line in DOCKERFILE.read_text().splitlines():
        if line.startswith("ENV "):
            set_here |= {item.split("=")[0] for item in line[4:].split()}
    assert set_here, "the manifests set no variables"
    assert set_here <= read, f"not read by AppConfiguration: {sorted(set_here - read)}"


def test_probes_port_and_scrape_path_answer_on_a_live_server(loanrisk_servers):
    deployment = next(doc for doc in documents() if doc["kind"] == "Deployment")
    pod = deployment["spec"]["template"]
    container = pod["spec"]["containers"][0]
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    env = {e["name"]: e.get("value") for e in container["env"]}
    assert str(ports["http"]) == env["PORT"], "the container listens where the server is told to"
    assert pod["metadata"]["annotations"]["prometheus.io/port"] == env["PORT"]
    paths = [container["readinessProbe"]["httpGet"]["path"], container["livenessProbe"]["httpGet"]["path"],
             pod["metadata"]["annotations"]["prometheus.io/path"]]
    for probe in ("readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"]["port"] == "http"
    assert pod["spec"]["terminationGracePeriodSeconds"] >= 10

    # As a container starts it: no environment but PATH and what the image sets.
    server = loanrisk_servers.start(inherit_environment=False, env={"LOG_LEVEL": "error"}, ready_timeout=60.0,
                                    stop_timeout=30.0)
    for path in paths:
        # The scrape path with the bearer token Prometheus is given (METRICS_TOKEN).
        answer = server.get(path, timeout=5)
        assert answer.status == 200, (path, str(answer))
    assert server.get(pod["metadata"]["annotations"]["prometheus.io/path"], anonymous=True).status == 401


def test_prometheus_is_given_the_metrics_token_wherever_it_scrapes():
    """/metrics answers only with METRICS_TOKEN: the pods get it from the Secret, the compose
    instances and their Prometheus share one, and the sample scrape config sends one."""
    docs = documents()
    secret = next(doc for doc in docs if doc["kind"] == "Secret")
    deployment = next(doc for doc in docs if doc["kind"] == "Deployment")
    env = {item["name"]: item for item in deployment["spec"]["template"]["spec"]["containers"][0]["env"]}
    assert env["METRICS_TOKEN"]["valueFrom"]["secretKeyRef"] == {"name": secret["metadata"]["name"], "key": "METRICS_TOKEN"}
    assert len(secret["stringData"]["METRICS_TOKEN"]) >= 16
    sample = yaml.safe_load((REPO_ROOT / "deploy" / "prometheus.yml").read_text())["scrape_configs"][0]
    assert sample["authorization"]["type"] == "Bearer" and sample["authorization"].get("credentials_file")
    compose = yaml.safe_load(COMPOSE.read_text())["services"]
    scraped = yaml.safe_load((REPO_ROOT / "deploy" / "compose" / "prometheus.yml").read_text())["scrape_configs"][0]
    for name in ("loanrisk-a", "loanrisk-b"):
        token = compose[name]["environment"]["METRICS_TOKEN"]
        assert len(token) >= 16 and scraped["authorization"]["credentials"] == token


def test_the_nightly_job_runs_options_the_cli_has():
    job = next(doc for doc in documents() if doc["kind"] == "CronJob")
    container = containers([job])[0]
    assert container["command"] == ["loanrisk"]
    args = container["args"]
    assert args[0] == "score"
    usage = subprocess.run([str(find_binary()), "score", "--help"], capture_output=True, text=True, check=True).stdout
    for option in (a for a in args if a.startswith("--")):
        assert option in usage, f"loanrisk score has no {option}"
    model = args[args.index("--model") + 1]
    assert model.startswith("/app/"), "the image keeps the bundles under /app (its WORKDIR)"
    assert (REPO_ROOT / model.removeprefix("/app/")).is_dir()


def test_the_dockerfile_builds_as_the_readme_says_and_runs_the_procfiles_web():
    dockerfile = DOCKERFILE.read_text()
    build = re.search(r"^RUN (swift build [^\n]+)$", dockerfile, re.M)
    assert build, "the Dockerfile has no swift build step"
    readme = (REPO_ROOT / "README.md").read_text()
    assert build.group(1) in readme, "the README gives the image's build command"
    assert "docker build -f deploy/Dockerfile" in readme
    procfile = (REPO_ROOT / "Procfile").read_text()
    assert "web: bin/web" in procfile and 'ENTRYPOINT ["bin/web"]' in dockerfile
    assert re.search(r"^USER (?!root)\w+", dockerfile, re.M), "the image runs as a non-root user"
    assert re.search(r"^HEALTHCHECK .*?/healthz", dockerfile, re.M)
    for copied in re.findall(r"^COPY (?!--from)(\S+)", dockerfile, re.M):
        assert (REPO_ROOT / copied).exists(), f"the Dockerfile copies {copied}, which the repository lacks"


def test_the_pods_share_state_in_the_postgresql_the_secret_names():
    docs = documents()
    deployment = next(doc for doc in docs if doc["kind"] == "Deployment")
    secret = next(doc for doc in docs if doc["kind"] == "Secret")
    hpa = next(doc for doc in docs if doc["kind"] == "HorizontalPodAutoscaler")
    env = {item["name"]: item for item in deployment["spec"]["template"]["spec"]["containers"][0]["env"]}
    assert env["DATABASE_URL"]["valueFrom"]["secretKeyRef"] == {"name": secret["metadata"]["name"], "key": "DATABASE_URL"}
    assert secret["stringData"]["DATABASE_URL"].startswith("postgres://")
    assert "DATABASE_PATH" not in env, "a pod's own SQLite file would split the state"
    assert deployment["spec"]["replicas"] >= 2 and hpa["spec"]["maxReplicas"] > hpa["spec"]["minReplicas"] >= 2
    # No state of a pod's own: an emptyDir at most (the audit journal's, which outlives a
    # container's restart), never a claim.
    volumes = deployment["spec"]["template"]["spec"].get("volumes", [])
    assert all(set(volume) == {"name", "emptyDir"} for volume in volumes), volumes


COMPOSE = REPO_ROOT / "deploy" / "compose.yaml"


def test_compose_runs_two_instances_on_postgresql_behind_haproxy_with_prometheus_and_grafana():
    compose = yaml.safe_load(COMPOSE.read_text())
    services = compose["services"]
    assert {"postgres", "loanrisk-a", "loanrisk-b", "haproxy", "prometheus", "grafana"} <= set(services)
    read = variables_the_server_reads()
    for name in ("loanrisk-a", "loanrisk-b"):
        service = services[name]
        assert set(service["environment"]) <= read, set(service["environment"]) - read
        url = service["environment"]["DATABASE_URL"]
        postgres = services["postgres"]["environment"]
        assert url.startswith(f"postgres://{postgres['POSTGRES_USER']}:{postgres['POSTGRES_PASSWORD']}@postgres:5432/{postgres['POSTGRES_DB']}")
        assert service["build"]["dockerfile"] == "deploy/Dockerfile"
    port = services["loanrisk-a"]["environment"]["PORT"]
    haproxy = (REPO_ROOT / "deploy" / "compose" / "haproxy.cfg").read_text()
    assert re.findall(r"^\s*server \w+ ([\w-]+:\d+)", haproxy, re.M) == [f"loanrisk-a:{port}", f"loanrisk-b:{port}"]
    assert "option httpchk GET /readyz" in haproxy
    prometheus = yaml.safe_load((REPO_ROOT / "deploy" / "compose" / "prometheus.yml").read_text())
    assert prometheus["scrape_configs"][0]["static_configs"][0]["targets"] == [f"loanrisk-a:{port}", f"loanrisk-b:{port}"]
    for mount in services["grafana"]["volumes"]:
        source = mount.split(":")[0]
        assert (COMPOSE.parent / source).exists(), source
