"""The access matrix, generated from the URL configuration and the demo district.

Every named URL pattern comes from the URL resolver. Concrete URLs (with real object ids) are found by
crawling the demo as each persona: links (GET) and form targets (POST). API patterns get concrete URLs by
reusing the parameter values the crawl saw in the same app. Then:
- anonymous: a login redirect (pages) or 401/403 (API), except public pages;
- the outsider (陈桥街道 liaison) gets 404 — exactly "missing" — for every object page, form target and API
  object of 幸福街道/永兴街道 that they cannot reach themselves, and the answer holds none of its data;
- nobody's GET ever answers 5xx;
- wrong role → 403: while crawling, every call of access.require_perm / access.scope is recorded per request
  (the permission each view or service actually asks for, and whether it passed). For every page and API
  URL that asked for a permission, a member of the district (inside every jurisdiction) whose role, by
  accounts/roles.py PERMISSIONS, lacks that permission but holds the request's other ones gets exactly 403;
- a revoked API key gets 401/403 on every API endpoint (the same key answered 200 before revocation);
- no denied answer (outsider 404, wrong role 403, revoked key) contains another unit's data: order numbers,
  residents', volunteers' and compounds' names of 幸福街道/永兴街道 that the outsider cannot see;
- every named pattern is reached by the crawl or listed in NOT_CRAWLED with the reason, so a new page
  cannot silently escape the matrix.
"""

import re
from collections import defaultdict
from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

PUBLIC_PREFIXES = ("/accounts/login/", "/healthz", "/i18n/", "/api/schema", "/api/docs", "/static/")
# URL names that are public by design (citizens, donors, volunteers signing up, signed personal links).
PUBLIC_NAMES = {
    "hotline:faq", "volunteers:signup", "volunteers:signup_thanks", "volunteers:honour", "volunteers:scan",
    "supplies:verify", "supplies:thanks", "supplies:donor_trace", "supplies:donor_certificate",
    "community:resident_link", "community:self_register", "community-api:resident-check",
    "community-api:self-entry", "community:gate_sw",
}
# Staff pages about things that are public anyway (a community's sign-up poster): existence is no secret,
# so a staff member elsewhere may get 403 rather than 404.
NOT_SECRET_NAMES = {"volunteers:signup_poster", "hotline:queue"}  # hotline:queue/<name>: a named work list
# Named URL patterns no link or form leads to in the demo, each with the reason (and where it is tested).
NOT_CRAWLED = {
    "accounts:login": "the login page itself (accounts/tests)",
    "accounts:logout": "POST only, from the user menu",
    "accounts:password_change_done": "reached only after a POST (accounts/tests)",
    "api-schema": "machine-readable schema (interop tests)",
    "api-docs": "documentation page (interop tests)",
    "core:reveal": "POST only, from JavaScript (core/tests/test_person_data.py)",
    "core:healthz": "probe for load balancers (core/tests)",
    "volunteers:signup_thanks": "shown after a public sign-up POST (volunteers/tests)",
    "volunteers:scan": "opened by scanning a post's QR code with a signed token (volunteers/tests)",
    "volunteers:check_in": "the button shows only within 30 minutes of a shift's start (volunteers/tests)",
    "supplies:home": "redirects /supplies/ to the needs board; nothing links the bare prefix",
    "supplies:allocation_action": "forms show only to the two units of an allocation in transit; the demo's is "
    "陈桥街道 → 丽都社区 (supplies/tests cover the outsider)",
    "hotline:caller_history": "JSON fetched by the intake form's script (hotline/tests)",
    "hotline:knowledge_hits": "JSON fetched by the intake form's script (hotline/tests)",
    "community:gate_sw": "the gate page's service worker script",
    "community:self_register": "opened by scanning a gate's QR code with a signed token (community/tests)",
    "reports:home": "the bare prefix; nothing links it (it redirects to the viewer's dashboard)",
    "reports:unit_report": "exists only while 应急响应 is on and a report slot is open (reports/tests)",
    "hotline-api:order-action": "POST only (hotline/tests/test_api.py covers every role and the outsider)",
    "interop-api:upper-order": "the city platform's own number, API keys only (interop/tests)",
    "open311:discovery": "Open311 clients with API keys: interop/tests conformance suite",
    "open311:services": "Open311 conformance suite (interop/tests)",
    "open311:service": "Open311 conformance suite (interop/tests)",
    "open311:requests": "Open311 conformance suite, incl. keys of one unit not reading another's (interop/tests)",
    "open311:request": "Open311 conformance suite (interop/tests)",
    "open311:token": "Open311 conformance suite (interop/tests)",
    "open311:updates": "Open311 conformance suite (interop/tests)",
    "interop:retry": "POST only, shown when a webhook is in the dead-letter list (interop/tests)",
    "interop:retry_all": "POST only, shown when webhooks are in the dead-letter list (interop/tests)",
}
SKIP_PREFIXES = ("/admin/", "/static/", "/media/", "/i18n/", "/accounts/logout/")
MAX_PAGES_PER_PERSONA = 120
MAX_PER_PATTERN = 3
INSIDERS = ["xf_liaison", "xf_head", "xf_handler", "hq_worker", "yh_worker", "yx_liaison", "yh_volunteer"]
OUTSIDER = "cq_liaison"


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.posts = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form" and (attrs.get("method") or "get").lower() == "post":
            self.posts.append(attrs.get("action") or "")


def all_patterns(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from all_patterns(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), (namespace + entry.name) if entry.name else None, entry


def match(path):
    try:
        return resolve(urlparse(path).path)
    except Resolver404:
        return None


def _local(base, href):
    target = urlparse(urljoin(base, href))
    if target.netloc and target.netloc != "testserver":
        return None
    path = target.path + (f"?{target.query}" if target.query else "")
    if path.startswith(SKIP_PREFIXES) or re.search(r"[?&]page=", path):
        return None
    return path


class Recorder:
    """Wraps access.require_perm and access.scope while the demo is crawled: what each request asked for."""

    def __init__(self):
        self.calls = []

    def install(self, monkeypatch):
        from accounts import access

        require, scope = access.require_perm, access.scope

        def recording_require(user, perm, unit=None):
            try:
                require(user, perm, unit)
            except PermissionDenied:
                self.calls.append(("require", perm, False))
                raise
            self.calls.append(("require", perm, True))

        def recording_scope(user, queryset, perm=None):
            self.calls.append(("scope", perm, True))
            return scope(user, queryset, perm)

        monkeypatch.setattr(access, "require_perm", recording_require)
        monkeypatch.setattr(access, "scope", recording_scope)

    def get(self, client, url, needs):
        self.calls = []
        response = client.get(url)
        if response.status_code == 200:
            needs.setdefault(url, list(self.calls))
        return response


RECORDER = Recorder()


def crawl(client, needs=None):
    """GET pages reachable from the home page. Returns ({url: status}, {post target urls}); `needs` collects
    the access calls of each URL answered 200 (see Recorder)."""
    needs = {} if needs is None else needs
    seen, queue, per_pattern, results, posts = set(), ["/"], defaultdict(int), {}, set()
    while queue and len(results) < MAX_PAGES_PER_PERSONA:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        found = match(url)
        if found is None or per_pattern[found.route] >= MAX_PER_PATTERN:
            continue
        per_pattern[found.route] += 1
        response = RECORDER.get(client, url, needs)
        results[url] = response.status_code
        assert response.status_code < 500, f"{url} answered {response.status_code}"
        if response.status_code in (301, 302) and "/accounts/login/" not in response["Location"]:
            target = _local(url, response["Location"])  # follow redirects: some pages are only reached so
            if target and target not in seen:
                queue.append(target)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        page = _Page()
        page.feed(response.content.decode("utf-8", "replace"))
        for action in page.posts:
            target = _local(url, action) if action else urlparse(url).path
            if target and match(target):
                posts.add(target)
        for href in page.links:
            path = _local(url, href)
            if path and path not in seen:
                queue.append(path)
    return results, posts


def api_urls(seen_urls):
    """Concrete API URLs: parameterless patterns as they are; others filled with values seen in that app."""
    values = defaultdict(set)  # (app, kwarg) -> values seen in crawled pages
    for url in seen_urls:
        found = match(url)
        if found and found.kwargs:
            app = found.view_name.split(":")[0].removesuffix("-api")
            for key, value in found.kwargs.items():
                values[(app, key)].add(str(value))
    urls = set()
    for route, name, _entry in all_patterns():
        if not route.startswith("api/v1/") or name is None:
            continue
        app = name.split(":")[0].removesuffix("-api")
        params = re.findall(r"<(?:\w+:)?(\w+)>", route)
        if not params:
            urls.add("/" + route)
            continue
        choices = [sorted(values.get((app, p), []))[:MAX_PER_PATTERN] for p in params]
        if not all(choices):
            continue
        for i in range(max(len(c) for c in choices)):
            url = "/" + route
            for p, c in zip(params, choices):
                url = re.sub(r"<(?:\w+:)?" + p + ">", c[min(i, len(c) - 1)], url)
            urls.add(url)
    return urls


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as monkeypatch:
        try:
            call_command("load_demo")
            users = {u.username: u for u in get_user_model().objects.filter(memberships__isnull=False).distinct()}
            RECORDER.install(monkeypatch)
            reached, posts, needs = {}, {}, {}
            for username, user in users.items():
                reached[username], posts[username] = crawl(_client(user), needs)
            seen = {url for results in reached.values() for url in results}
            apis = api_urls(seen)
            api_status = {}
            for username, user in users.items():
                client = _client(user)
                api_status[username] = {url: RECORDER.get(client, url, needs).status_code for url in apis}
            monkeypatch.undo()
            yield users, reached, posts, api_status, needs, secrets_of_other_streets(users[OUTSIDER])
        finally:
            # Even when loading or crawling failed: leave a freshly migrated database for later tests.
            call_command("flush", "--noinput")
            from importlib import import_module

            from django.apps import apps

            from conftest import DATA_MIGRATIONS

            for module, function, _model in DATA_MIGRATIONS:
                getattr(import_module(module), function)(apps, None)


def secrets_of_other_streets(outsider):
    """Identifying values of 幸福街道/永兴街道 objects the outsider cannot see: order numbers, residents',
    volunteers' and compounds' names (names shorter than 2 characters would match by chance)."""
    from accounts import access
    from community.models import Resident
    from hotline.models import WorkOrder
    from places.models import OrgUnit
    from volunteers.models import Volunteer

    streets = OrgUnit.objects.filter(name__in=["幸福街道", "永兴街道"])
    inside = access.jurisdiction_q
    values = set()
    for model, field in ((WorkOrder, "number"), (Resident, "name"), (Volunteer, "name")):
        hidden = model.objects.filter(inside(model, [s.path for s in streets])).exclude(
            pk__in=access.scope(outsider, model.objects.all()).values("pk"))
        values |= set(hidden.values_list(field, flat=True))
    compounds = OrgUnit.objects.filter(kind="compound", path__startswith=streets[0].path) | OrgUnit.objects.filter(
        kind="compound", path__startswith=streets[1].path)
    values |= set(compounds.values_list("name", flat=True))
    own = set(OrgUnit.objects.filter(path__startswith=access.units(outsider)[0].path).values_list("name", flat=True))
    return sorted(v for v in values if v and len(v) >= 2 and v not in own)


def leaks(secrets, what, response):
    body = response.content.decode("utf-8", "replace")
    found = [value for value in secrets if value in body]
    return [f"{what} → {response.status_code} contains another unit's data: {found[:5]}"] if found else []


def _client(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _is_object_url(url):
    found = match(url)
    return bool(found and (found.kwargs or found.args))


def _public(url):
    found = match(url)
    return url.startswith(PUBLIC_PREFIXES) or bool(found and found.view_name in PUBLIC_NAMES)


@pytest.mark.django_db
def test_outsider_gets_404_for_every_object_page_of_another_street(demo):
    users, reached, _posts, _api, _needs, secrets = demo
    outsider = users[OUTSIDER]
    own = {u for u, s in reached[OUTSIDER].items() if s == 200}
    checked, failures = 0, []
    for username in INSIDERS:
        for url, status in reached.get(username, {}).items():
            if status != 200 or not _is_object_url(url) or url in own or _public(url):
                continue
            if match(url).view_name in NOT_SECRET_NAMES:
                continue
            response = _client(outsider).get(url)
            checked += 1
            if response.status_code != 404:
                failures.append(f"GET {url} (reached by {username}) → {response.status_code}")
            failures += leaks(secrets, f"GET {url}", response)
    assert checked > 20, f"only {checked} object pages of 幸福/永兴 were found to check"
    assert not failures, "\n".join(failures[:40])


@pytest.mark.django_db
def test_outsider_posting_to_another_streets_forms_gets_404(demo):
    users, _reached, posts, _api, _needs, secrets = demo
    outsider = users[OUTSIDER]
    own = posts[OUTSIDER]
    checked, failures = 0, []
    for username in INSIDERS:
        for url in sorted(posts.get(username, ())):
            if url in own or not _is_object_url(url) or _public(url) or match(url).view_name in NOT_SECRET_NAMES:
                continue
            response = _client(outsider).post(url, {})
            checked += 1
            if response.status_code != 404:
                failures.append(f"POST {url} (a form of {username}) → {response.status_code}")
            failures += leaks(secrets, f"POST {url}", response)
    assert checked, "no object forms of 幸福/永兴 were found to check"
    assert not failures, "\n".join(failures[:40])


@pytest.mark.django_db
def test_api_objects_of_another_street_are_missing_for_the_outsider(demo):
    _users, _reached, _posts, api, _needs, _secrets = demo
    failures, checked = [], 0
    for url, status in api[OUTSIDER].items():
        assert status < 500, f"{url} answered {status}"
        if not _is_object_url(url) or status == 404:
            continue
        insiders_ok = [u for u in INSIDERS if api.get(u, {}).get(url) == 200]
        if insiders_ok and status != 200:
            failures.append(f"GET {url} → {status} for {OUTSIDER} (200 for {insiders_ok[0]})")
        checked += 1
    assert not failures, "\n".join(failures[:40])
    for username, results in api.items():
        for url, status in results.items():
            assert status < 500, f"{username}: {url} answered {status}"


@pytest.mark.django_db
def test_anonymous_is_sent_to_login_everywhere_but_public_pages(demo):
    _users, reached, posts, api, _needs, _secrets = demo
    urls = {url for results in reached.values() for url in results} | set(next(iter(api.values())))
    anon = _client()
    failures = []
    for url in sorted(urls):
        if _public(url):
            continue
        response = anon.get(url)
        ok = (response.status_code == 302 and "/accounts/login/" in response["Location"]) or (
            url.startswith("/api/") and response.status_code in (401, 403)
        )
        if not ok:
            failures.append(f"GET {url} → {response.status_code}")
    for url in sorted({u for p in posts.values() for u in p}):
        if _public(url):
            continue
        response = anon.post(url, {})
        if not (response.status_code in (302, 403) and "/accounts/login/" in response.get("Location", "/accounts/login/")):
            failures.append(f"POST {url} → {response.status_code}")
    assert not failures, "\n".join(failures[:40])


@pytest.mark.django_db
def test_every_pattern_is_covered_by_the_crawl_or_explained(demo):
    _users, reached, posts, api, _needs, _secrets = demo
    touched = {url for results in reached.values() for url in results}
    touched |= {url for p in posts.values() for url in p} | set(next(iter(api.values())))
    covered = {match(url).route for url in touched if match(url)}
    missing = []
    for route, name, _entry in all_patterns():
        if route.startswith(("admin/", "i18n/", "static/")) or name is None:
            continue
        if route in covered or name in NOT_CRAWLED:
            continue
        missing.append(f"{route} ({name})")
    assert not missing, "URL patterns neither crawled nor explained in NOT_CRAWLED:\n" + "\n".join(missing)


# -- wrong role → 403, derived from the recorded checks and PERMISSIONS --------------------------------------

def wrong_role_for(calls):
    """(role, perm) such that the role lacks `perm`, one the request required and the crawler passed, while
    holding every other permission the request asked for (so nothing but that permission can deny it)."""
    from accounts.roles import PERMISSIONS

    required = [perm for kind, perm, passed in calls if kind == "require" and passed]
    asked = {perm for _kind, perm, passed in calls if perm and passed}
    for perm in required:
        for role, granted in PERMISSIONS.items():
            if perm not in granted and (asked - {perm}) <= granted:
                return role, perm
    return None


@pytest.fixture
def wrong_role_users(demo, org):
    """One member of the district per role: inside every jurisdiction, with only what the role grants."""
    from accounts.roles import PERMISSIONS
    from conftest import make_user
    from places.models import OrgUnit

    district = OrgUnit.objects.get(code="320611")
    return {role: make_user(f"wrong_{role}", district, role) for role in PERMISSIONS}


@pytest.mark.django_db
def test_a_member_inside_the_jurisdiction_without_the_permission_gets_403(demo, wrong_role_users):
    users, _reached, _posts, _api, needs, secrets = demo
    checked, patterns, failures, not_derivable = 0, set(), [], set()
    for url, calls in sorted(needs.items()):
        if not any(kind == "require" and passed for kind, _perm, passed in calls):
            continue
        found = wrong_role_for(calls)
        if found is None:
            not_derivable.add(match(url).view_name)
            continue
        role, perm = found
        response = _client(wrong_role_users[role]).get(url)
        checked += 1
        patterns.add(match(url).route)
        if response.status_code != 403:
            failures.append(f"GET {url} as role {role} (lacks {perm}) → {response.status_code}")
        failures += leaks(secrets, f"GET {url} as {role}", response)
    print(f"wrong role → 403: {checked} URLs of {len(patterns)} patterns checked; no role lacking exactly the "
          f"permission for {len(not_derivable)} views: {sorted(not_derivable)}")
    assert checked > 20 and len(patterns) > 10, (checked, sorted(patterns))
    assert not failures, "\n".join(failures[:40])


@pytest.mark.django_db
def test_a_revoked_api_key_is_refused_on_every_api_endpoint(demo, org):
    from interop import services

    _users, _reached, _posts, api, _needs, secrets = demo
    key, raw = services.create_api_key(unit=org.district, role="supervisor", name="已吊销的对接系统")
    urls = sorted(url for url in next(iter(api.values())) if not _public(url))
    worked = next((url for url in urls if Client().get(url, HTTP_X_API_KEY=raw).status_code == 200), None)
    assert worked, "the key must work before it is revoked, or the test proves nothing"
    services.revoke_key(key)
    failures = []
    for i, url in enumerate(urls):
        # Both header forms on a few endpoints, X-Api-Key on all: the check is in one authentication class.
        forms = ({"HTTP_X_API_KEY": raw}, {"HTTP_AUTHORIZATION": f"Api-Key {raw}"}) if i < 5 else ({"HTTP_X_API_KEY": raw},)
        for headers in forms:
            response = Client().get(url, **headers)
            if response.status_code not in (401, 403):
                failures.append(f"GET {url} with a revoked key → {response.status_code}")
            failures += leaks(secrets, f"GET {url} (revoked key)", response)
    print(f"revoked key: {len(urls)} API URLs refused (200 before revocation on {worked})")
    assert len(urls) > 10
    assert not failures, "\n".join(failures[:40])
