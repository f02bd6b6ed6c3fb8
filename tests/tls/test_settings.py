"""TLS settings that cannot work stop the server at start with a message naming the setting;
`TRUSTED_PROXIES` is believed only for the peers it lists."""

from __future__ import annotations

import pytest

from conftest import tls_env


@pytest.mark.parametrize("case, message", [
    ("certificate alone", "TLS_CERT_PATH is set but TLS_KEY_PATH is not"),
    ("key alone", "TLS_KEY_PATH is set but TLS_CERT_PATH is not"),
    ("missing certificate", "TLS_CERT_PATH='/nonexistent/server.pem' cannot be read"),
    ("not a certificate", "holds no PEM certificate"),
    ("another key", "is not the private key of the certificate"),
])
def test_unusable_tls_settings_stop_the_server(loanrisk_servers, certificates, case, message):
    env = tls_env(certificates)
    if case == "certificate alone":
        del env["TLS_KEY_PATH"]
    elif case == "key alone":
        del env["TLS_CERT_PATH"]
    elif case == "missing certificate":
        env["TLS_CERT_PATH"] = "/nonexistent/server.pem"
    elif case == "not a certificate":
        env["TLS_CERT_PATH"] = str(certificates.server_key)
    else:
        env["TLS_KEY_PATH"] = str(certificates.db_key)
    server = loanrisk_servers.create(env=env)
    server.start(wait=False)
    assert server.wait_exit(timeout=30) != 0
    log = server.log()
    assert message in log, log[-2000:]
    assert "PRIVATE KEY" not in log


def test_forwarding_headers_count_only_from_a_trusted_proxy(loanrisk_servers):
    untrusted = loanrisk_servers.start(name="direct")
    proxied = loanrisk_servers.start(name="behind-proxy", env={"TRUSTED_PROXIES": "10.0.0.0/8, 127.0.0.1"})
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}

    direct = untrusted.get("/", headers=headers)
    assert "strict-transport-security" not in direct.headers
    assert direct.headers.get("set-cookie", "").startswith("loanrisk_csrf="), direct.headers
    assert "secure" not in direct.headers.get("set-cookie", "").lower()

    via_proxy = proxied.get("/", headers=headers)
    assert via_proxy.headers.get("strict-transport-security") == "max-age=31536000; includeSubDomains"
    cookie = via_proxy.headers.get("set-cookie", "")
    assert cookie.startswith("__Host-loanrisk_csrf=") and "Secure" in cookie, cookie

    plain = proxied.get("/", headers={"Forwarded": "for=203.0.113.9;proto=http"})
    assert "strict-transport-security" not in plain.headers


def test_an_unreadable_trusted_proxies_entry_stops_the_server(loanrisk_servers):
    server = loanrisk_servers.create(env={"TRUSTED_PROXIES": "10.0.0.0/8, proxy.internal"})
    server.start(wait=False)
    assert server.wait_exit(timeout=30) != 0
    assert "TRUSTED_PROXIES has 'proxy.internal'" in server.log()
