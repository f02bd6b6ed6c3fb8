"""A tritonclient (HTTP or gRPC) that sends `Authorization: Bearer <key>` on every call, as a
system holding an API key does: each method is called with `headers=` (gRPC metadata keys are
lower case). Headers a test passes to a call are added to it, and win."""

from __future__ import annotations


class KeyedClient:
    def __init__(self, client, key: str):
        self.client = client
        self.headers = {"authorization": f"Bearer {key}"}

    def __getattr__(self, name: str):
        attribute = getattr(self.client, name)
        if name == "close" or name.startswith("_") or not callable(attribute):
            return attribute

        def call(*args, headers: dict[str, str] | None = None, **kwargs):
            return attribute(*args, headers={**self.headers, **(headers or {})}, **kwargs)

        return call
