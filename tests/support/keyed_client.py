"""A tritonclient client (HTTP or gRPC) that sends a key with every call.

tritonclient's calls each take `headers=` (HTTP headers; gRPC metadata for its gRPC client),
not a header for the whole client; `Keyed(client, server.auth_headers)` passes the server's
key to every call that does not give headers of its own, as a system using a key does.
"""

from __future__ import annotations


class Keyed:
    def __init__(self, client, headers: dict[str, str]):
        self._client = client
        self._headers = dict(headers)

    @property
    def unkeyed(self):
        """The client itself, sending no key."""
        return self._client

    def __getattr__(self, name: str):
        attribute = getattr(self._client, name)
        if not callable(attribute) or name == "close":
            return attribute

        def call(*args, **kwargs):
            if kwargs.get("headers") is None:
                kwargs["headers"] = dict(self._headers)
            return attribute(*args, **kwargs)

        return call
