"""A real OpenID Connect provider on loopback, for LoanRisk's single sign-on tests.

pyop (PyPI) does the protocol — authentication request validation, authorization codes,
client authentication at the token endpoint, PKCE, signed ID tokens, userinfo; this file is
the glue: an HTTP server on 127.0.0.1, a login form checked against a users file, an RSA key
made at start and published as the JWKS, and PKCE S256 required of every client.

Run:
    python tests/oidc/provider.py --client-id loanrisk --client-secret S \
        --redirect-uri http://127.0.0.1:8080/sign-in/oidc/callback [--port 0]

It prints one line, `READY <issuer>`, once it listens (port 0 picks a free one), then serves
until it is killed. Each user in the users file (tests/oidc/users.json by default) has a
password, `name`, `email`, `groups` and `team`; the ID token carries all of them, with
`preferred_username` set to the user's key. `POST /rotate-key` replaces the signing key with a
new one of a new `kid` (the JWKS then lists only the new key), so a test can check that a
client refetches the JWKS when a token names a key it does not know.
"""

from __future__ import annotations

import argparse
import html
import json
import secrets
import signal
import sys
from dataclasses import dataclass
from pathlib import Path
from socketserver import ThreadingMixIn
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from Cryptodome.PublicKey import RSA
from jwkest.jwk import RSAKey
from pyop.authz_state import AuthorizationState
from pyop.exceptions import InvalidAuthenticationRequest, OAuthError
from pyop.provider import Provider
from pyop.subject_identifier import HashBasedSubjectIdentifierFactory
from pyop.userinfo import Userinfo


@dataclass(frozen=True)
class Reply:
    """One HTTP answer: status line, content type, body and any extra headers."""

    status: str
    content_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()


def new_signing_key() -> RSAKey:
    """A fresh 2048-bit RSA key with a random `kid`, for RS256 ID tokens."""
    return RSAKey(key=RSA.generate(2048), kid=secrets.token_hex(8), use="sig", alg="RS256")


def require_pkce_s256(authentication_request) -> None:
    """Refuses an authentication request without a PKCE S256 code challenge (pyop checks one only if sent)."""
    if authentication_request.get("code_challenge_method") != "S256" or not authentication_request.get("code_challenge"):
        raise InvalidAuthenticationRequest(
            "PKCE with code_challenge_method=S256 is required", authentication_request, oauth_error="invalid_request"
        )


class LoopbackProvider:
    """The WSGI application: discovery, JWKS, login form, token and userinfo endpoints."""

    def __init__(self, issuer: str, users: dict, client: dict):
        self.users = users
        configuration = {
            "issuer": issuer.replace("http://", "https://", 1),
            "authorization_endpoint": issuer + "/authorize",
            "token_endpoint": issuer + "/token",
            "userinfo_endpoint": issuer + "/userinfo",
            "jwks_uri": issuer + "/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": [client["token_endpoint_auth_method"]],
            "code_challenge_methods_supported": ["S256"],
            "scopes_supported": ["openid", "profile", "email"],
            "claims_supported": ["sub", "name", "email", "preferred_username", "groups", "team"],
        }
        claims = {
            user_id: {key: value for key, value in user.items() if key != "password"} | {"preferred_username": user_id}
            for user_id, user in users.items()
        }
        self.claims = claims
        self.provider = Provider(
            new_signing_key(),
            configuration,
            AuthorizationState(HashBasedSubjectIdentifierFactory(secrets.token_hex(16))),
            {client["client_id"]: client},
            Userinfo(claims),
        )
        self.provider.authentication_request_validators.append(require_pkce_s256)
        # oic refuses a plain-HTTP issuer when the provider is built (its check runs once, in
        # Provider.__init__); on loopback there is no TLS, so the issuer is built as https and
        # set to the real http address afterwards, before anything is published or signed.
        self.provider.configuration_information["issuer"] = issuer

    # WSGI entry point -------------------------------------------------------------------

    def __call__(self, environ, start_response):
        method = environ["REQUEST_METHOD"]
        path = environ.get("PATH_INFO", "")
        query = environ.get("QUERY_STRING", "")
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length).decode("utf-8") if length else ""
        headers = {"Authorization": environ["HTTP_AUTHORIZATION"]} if "HTTP_AUTHORIZATION" in environ else {}
        routes = {
            ("GET", "/.well-known/openid-configuration"): lambda: self.json_reply(
                self.provider.provider_configuration.to_dict()
            ),
            ("GET", "/jwks"): lambda: self.json_reply(self.provider.jwks),
            ("GET", "/authorize"): lambda: self.login_form(query, error=None),
            ("POST", "/authorize"): lambda: self.log_in(body),
            ("POST", "/token"): lambda: self.token(body, headers),
            ("GET", "/userinfo"): lambda: self.userinfo(query, headers),
            ("POST", "/userinfo"): lambda: self.userinfo(body, headers),
            ("POST", "/rotate-key"): self.rotate_key,
        }
        handler = routes.get((method, path))
        reply = handler() if handler else Reply("404 Not Found", "text/plain", b"not found")
        start_response(
            reply.status,
            [("Content-Type", reply.content_type), ("Cache-Control", "no-store"), *reply.headers],
        )
        return [reply.body]

    # Endpoints ----------------------------------------------------------------------------

    def login_form(self, query: str, error: str | None) -> Reply:
        """The login page for a valid authentication request; an invalid one is refused here."""
        try:
            request = self.provider.parse_authentication_request(query)
        except InvalidAuthenticationRequest as failure:
            return Reply("400 Bad Request", "text/plain; charset=utf-8", str(failure).encode())
        client_name = html.escape(request["client_id"])
        alert = f'<p role="alert" id="error">{html.escape(error)}</p>' if error else ""
        page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Loopback ID — sign in</title></head>
<body><main>
<h1>Loopback ID</h1>
<p>Sign in to continue to {client_name}.</p>
{alert}
<form method="post" action="/authorize">
  <input type="hidden" name="request" value="{html.escape(query)}">
  <p><label for="username">Username</label> <input id="username" name="username" autocomplete="username" required></p>
  <p><label for="password">Password</label> <input id="password" name="password" type="password" autocomplete="current-password" required></p>
  <p><button type="submit" id="log-in">Log in</button></p>
</form>
</main></body></html>"""
        return Reply("401 Unauthorized" if error else "200 OK", "text/html; charset=utf-8", page.encode())

    def log_in(self, body: str) -> Reply:
        """Checks the posted user and password; on success redirects to the client with a code."""
        form = {key: values[0] for key, values in parse_qs(body, keep_blank_values=True).items()}
        query = form.get("request", "")
        username = form.get("username", "")
        user = self.users.get(username)
        if user is None or not secrets.compare_digest(user["password"], form.get("password", "")):
            return self.login_form(query, error="Wrong username or password.")
        try:
            request = self.provider.parse_authentication_request(query)
        except InvalidAuthenticationRequest as failure:
            return Reply("400 Bad Request", "text/plain; charset=utf-8", str(failure).encode())
        response = self.provider.authorize(request, username)
        location = response.request(request["redirect_uri"], False)
        return Reply("303 See Other", "text/plain", b"", (("Location", location),))

    def token(self, body: str, headers: dict) -> Reply:
        """The code exchange; the ID token carries the user's profile claims and groups."""
        try:
            response = self.provider.handle_token_request(
                body, headers, extra_id_token_claims=lambda user_id, client_id: self.claims[user_id]
            )
        except OAuthError as failure:
            status = "401 Unauthorized" if failure.oauth_error == "invalid_client" else "400 Bad Request"
            return self.json_reply({"error": failure.oauth_error, "error_description": str(failure)}, status)
        return self.json_reply(response.to_dict())

    def userinfo(self, request: str, headers: dict) -> Reply:
        try:
            response = self.provider.handle_userinfo_request(request, headers)
        except (OAuthError, KeyError) as failure:
            return self.json_reply({"error": "invalid_token", "error_description": str(failure)}, "401 Unauthorized")
        user_id = response.get("preferred_username")
        claims = response.to_dict()
        return self.json_reply(claims | ({"groups": self.claims[user_id]["groups"]} if user_id in self.claims else {}))

    def rotate_key(self) -> Reply:
        self.provider.signing_key = new_signing_key()
        return self.json_reply({"kid": self.provider.signing_key.kid})

    @staticmethod
    def json_reply(document, status: str = "200 OK") -> Reply:
        return Reply(status, "application/json", json.dumps(document).encode())


class ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    """Logs each request's method, path and status only: no query strings (codes, states) in the log."""

    def log_request(self, code="-", size="-"):
        path = self.path.split("?", 1)[0]
        sys.stderr.write(f"provider: {self.command} {path} {code}\n")


def main() -> None:
    # A parent may start us with SIGTERM blocked (Foundation's Process on Linux does): stop on it anyway.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1; 0 picks a free one")
    parser.add_argument("--users", type=Path, default=Path(__file__).with_name("users.json"))
    parser.add_argument("--client-id", required=True)
    parser.add_argument("--client-secret", required=True)
    parser.add_argument("--redirect-uri", action="append", required=True, help="may be given more than once")
    parser.add_argument(
        "--auth-method", default="client_secret_basic", choices=["client_secret_basic", "client_secret_post"]
    )
    options = parser.parse_args()

    server = make_server("127.0.0.1", options.port, lambda e, s: app(e, s), ThreadingServer, QuietHandler)
    issuer = f"http://127.0.0.1:{server.server_port}"
    client = {
        "client_id": options.client_id,
        "client_secret": options.client_secret,
        "redirect_uris": options.redirect_uri,
        "response_types": ["code"],
        "token_endpoint_auth_method": options.auth_method,
    }
    app = LoopbackProvider(issuer, json.loads(options.users.read_text()), client)
    print(f"READY {issuer}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
