"""Debian's `sqlmap` against the pages that take what a person types into SQL: sign-in (the name
and password), a batch's posted search (`q`) and its sort and filter parameters — signed in,
on SQLite and on PostgreSQL. Each finds nothing, the server stays healthy (no 5xx, no error
logged, /healthz 200 afterwards), and sqlmap's requests are shown to have reached the page
signed in: every one went through a recording proxy (`recording_proxy.py`), whose record must
show the unchanged request answered as a signed-in page (200, or the sign-in's 303 to `next`)
and no request bounced to /sign-in or refused for its CSRF token. A scan that never got past
the sign-in redirect would otherwise find nothing and pass.

The sign-in throttle (5 failures per name, 30 per address, in 15 minutes → 429) is met
honestly, not switched off:

- The `name` scan signs in with the right password, so its unchanged request succeeds (303 to
  `next`, clearing the name's failures) and a payload that made the name lookup match would
  sign in as well — a difference sqlmap sees. Its payloads are all different names, so the
  per-name limit is not reached; the per-address limit would stop every payload after the
  30th with a 429 before the account lookup, so the proxy spreads them over loopback source
  addresses (25 each), as a guesser with many addresses would. The test asserts no 429 came
  back: every payload reached the account lookup and the failure record.
- The `password` scan keeps one name, so after five wrong passwords the name is locked and
  the rest answer 429 — the throttle doing its job. A password is only ever compared with a
  bcrypt hash, never put in SQL; the test asserts the 429s, that sqlmap still sent its
  payloads, and that it found nothing.
"""

from __future__ import annotations

import re
import urllib.parse
from collections import Counter

from conftest import Target
from recording_proxy import Exchange, RecordingProxy
from signed_in import CSRF_COOKIE, create_account, csrf_cookie, sign_in
from sqlmap_run import SqlmapRun, run_sqlmap


# A sign-in that succeeds answers 303 with no body; one that fails, 401 (422 for an empty field,
# 429 when throttled) with the form. sqlmap is told that only a 303 means "the condition held",
# and that the refusals are answers to compare, not reasons to stop.
SIGN_IN_VERDICT = ("--code=303", "--ignore-code=401,422,429")


def statuses(exchanges: list[Exchange]) -> Counter:
    return Counter(e.status for e in exchanges)


def check_clean(run: SqlmapRun, target: Target, exchanges: list[Exchange], minimum_requests: int) -> None:
    """sqlmap found nothing, sent enough requests for that to mean something, and the server
    answered none of them with a 5xx, logged no error, and is still healthy."""
    print(f"\nsqlmap {target.engine}: {len(exchanges)} requests in {run.seconds:.1f} s, statuses {dict(statuses(exchanges))}")
    assert run.clean, "sqlmap reports a finding, or did not finish its scan:\n" + run.summary()
    assert len(exchanges) >= minimum_requests, (
        f"sqlmap sent only {len(exchanges)} requests (expected at least {minimum_requests}):\n" + run.summary())
    failed = [e for e in exchanges if e.status >= 500]
    assert not failed, f"{len(failed)} answers were 5xx, first {failed[0]}:\n{target.server.log_tail()}"
    # Log lines are "<time> <level> loanrisk: …"; an unhandled error is logged at error level.
    errors = [line for line in target.server.log_since_start().splitlines() if re.match(r"\S+ (error|critical) ", line)]
    assert not errors, "the server logged errors:\n" + "\n".join(errors[-20:])
    assert target.server.get("/healthz").status == 200, target.server.log_tail()
    assert target.server.running


def check_signed_in(exchanges: list[Exchange], path: str) -> None:
    """No request was sent to /sign-in for want of a session, none refused for its CSRF token."""
    bounced = [e for e in exchanges if e.location and e.location.startswith("/sign-in")]
    assert not bounced, f"{len(bounced)} requests were redirected to sign in, first {bounced[0]}"
    assert all(e.status != 401 for e in exchanges), "a page answered 401: the session was not sent"
    refused = [e for e in exchanges if e.status == 403]
    assert not refused, f"{len(refused)} requests refused (403: CSRF token), first {refused[0]}"
    assert all(e.path.startswith(path) for e in exchanges), {e.path for e in exchanges}


def test_sign_in_name(target: Target, tmp_path):
    name, password = create_account(target.server, role="analyst")
    csrf, token = csrf_cookie(target.server)
    data = urllib.parse.urlencode({"csrf": token, "next": "/", "name": name, "password": password})
    with RecordingProxy(requests_per_address=25) as proxy:
        run = run_sqlmap(
            target.server.url + "/sign-in", engine=target.engine, parameters="name", data=data,
            cookie=f"{CSRF_COOKIE}={csrf}", csrf_url=target.server.url + "/sign-in", proxy=proxy.url, folder=tmp_path,
            extra=SIGN_IN_VERDICT)
    posts = [e for e in proxy.exchanges if e.method == "POST"]
    check_clean(run, target, proxy.exchanges, minimum_requests=100)
    assert posts and posts[0].status == 303 and posts[0].location == "/", f"the unchanged sign-in did not succeed: {posts[:1]}"
    counts = statuses(posts)
    assert counts[401] >= 50, f"too few payloads were refused as a wrong name: {dict(counts)}"
    assert counts[429] == 0, f"the throttle answered {counts[429]} payloads before the account lookup: {dict(counts)}"
    assert counts[403] == 0, f"{counts[403]} posts refused for their CSRF token"
    # Only the unchanged name signed in: no payload turned into a session for someone.
    signed_in_as = [urllib.parse.parse_qs(e.body.decode()).get("name") for e in posts if e.status == 303]
    assert signed_in_as and all(names == [name] for names in signed_in_as), f"a payload signed in: {signed_in_as}"
    still = sign_in(target.server, name, password)
    assert still.session


def test_sign_in_password(target: Target, tmp_path):
    name, password = create_account(target.server, role="analyst")
    csrf, token = csrf_cookie(target.server)
    data = urllib.parse.urlencode({"csrf": token, "next": "/", "name": name, "password": password})
    with RecordingProxy() as proxy:
        run = run_sqlmap(
            target.server.url + "/sign-in", engine=target.engine, parameters="password", data=data,
            cookie=f"{CSRF_COOKIE}={csrf}", csrf_url=target.server.url + "/sign-in", proxy=proxy.url, folder=tmp_path,
            extra=SIGN_IN_VERDICT)
    posts = [e for e in proxy.exchanges if e.method == "POST"]
    check_clean(run, target, proxy.exchanges, minimum_requests=30)
    counts = statuses(posts)
    assert posts and posts[0].status == 303, f"the unchanged sign-in did not succeed: {posts[:1]}"
    assert counts[401] >= 1 and counts[429] >= 1, f"expected wrong passwords (401) then the name locked (429): {dict(counts)}"
    assert counts[403] == 0, f"{counts[403]} posts refused for their CSRF token"


# The view the batch scans start from: the declined applicants above 20 % (five rows of the
# sample), so the page is small to render and compare, yet a condition sqlmap slipped into the
# query would still empty it or reorder it.
VIEW = {"sort": "probability", "dir": "desc", "decision": "decline", "pmin": "20"}


def test_batch_search(target: Target, tmp_path):
    """The search travels only in a POSTed form (never in an address). Its CSRF token is the
    browser's cookie value, the same for every form of that browser, so it is given once in
    the data rather than fetched again before each request."""
    path = f"/batches/{target.batch}"
    url = target.server.url + path
    data = urllib.parse.urlencode({"csrf": target.session.csrf, "q": "LC-00", **VIEW})
    with RecordingProxy() as proxy:
        run = run_sqlmap(url, engine=target.engine, parameters="q", data=data, cookie=target.session.cookie_header,
                         proxy=proxy.url, folder=tmp_path)
    check_clean(run, target, proxy.exchanges, minimum_requests=60)
    check_signed_in(proxy.exchanges, path)
    assert proxy.exchanges[0].status == 200, f"the unchanged search was not answered with the page: {proxy.exchanges[0]}"
    assert statuses(proxy.exchanges)[200] == len(proxy.exchanges), dict(statuses(proxy.exchanges))


def test_batch_sort_and_filters(target: Target, tmp_path):
    path = f"/batches/{target.batch}"
    url = target.server.url + path + "?" + urllib.parse.urlencode(VIEW)
    with RecordingProxy() as proxy:
        run = run_sqlmap(url, engine=target.engine, parameters="sort,dir,decision",
                         cookie=target.session.cookie_header, proxy=proxy.url, folder=tmp_path)
    check_clean(run, target, proxy.exchanges, minimum_requests=150)
    check_signed_in(proxy.exchanges, path)
    assert proxy.exchanges[0].status == 200, f"the unchanged view was not answered with the page: {proxy.exchanges[0]}"
    assert statuses(proxy.exchanges)[200] == len(proxy.exchanges), dict(statuses(proxy.exchanges))
