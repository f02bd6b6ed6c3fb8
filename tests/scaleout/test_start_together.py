"""Replicas that start at the same moment on an empty PostgreSQL (a Deployment's two pods,
compose's two services) both come up, and agree on one champion per model, crowned once.

Each round starts two real `loanrisk serve` processes together on a fresh schema; three
rounds, since which instance reaches the registry first is up to the scheduler."""

from __future__ import annotations

import requests

from conftest import ADMIN_TOKEN, LoanRiskServer, Postgres, instance_options

ROUNDS = 3


def champions(instance: LoanRiskServer) -> dict[str, str]:
    answer = requests.get(instance.url + "/admin/v1/models", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}, timeout=30)
    assert answer.status_code == 200, answer.text[:500]
    return {m["name"]: m["champion"] for m in answer.json()["models"]}


def champion_moves(instance: LoanRiskServer, name: str) -> list[dict]:
    answer = requests.get(
        f"{instance.url}/admin/v1/models/{name}/history", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}, timeout=30)
    assert answer.status_code == 200, answer.text[:500]
    return [e for e in answer.json()["events"] if e["alias"] == "champion"]


def test_two_instances_started_together_on_an_empty_database_both_come_up(database_url, loanrisk_servers):
    for round in range(ROUNDS):
        options = instance_options(Postgres.new_schema(database_url))
        a, b = (loanrisk_servers.create(name=f"{n}{round}", **options) for n in "ab")
        a.start(wait=False)
        b.start(wait=False)
        for instance in (a, b):
            problem = instance.readiness_problem()
            assert problem is None, f"round {round}, instance {instance.name}: {problem}\n{instance.log_tail()}"
        served = champions(a)
        assert served, "no champion at all"
        assert champions(b) == served
        for instance in (a, b):
            models = requests.get(instance.url + "/api/v1/models", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}, timeout=30).json()
            assert {m["name"]: m["version"] for m in models["models"]} == served
        for name in served:
            moves = champion_moves(a, name)
            assert len(moves) == 1, f"{name} was crowned {len(moves)} times: {moves}"
            assert moves[0].get("from_version") is None and moves[0]["to_version"] == served[name]
        a.stop()
        b.stop()
