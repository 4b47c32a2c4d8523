"""The access matrix, generated from the URL configuration and the demo district.

Every named URL pattern is listed from the URL resolver. Concrete URLs (with real object ids) are found by
crawling the site as each demo persona, so every object page that a persona can reach is then requested as
every other persona and as anonymous:
- anonymous: a login redirect (pages) or 401/403 (API), except the public pages listed below;
- someone who cannot reach an object page by crawling must get 404 (same as "missing"), never its data;
- no request ever answers 5xx.
A URL pattern the crawl never reached must be listed in NOT_CRAWLED with the reason (POST-only, a file
download with a signed token …), so a new page cannot silently escape the matrix.
"""

import re
from collections import defaultdict
from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

PUBLIC_PREFIXES = ("/accounts/login/", "/healthz", "/i18n/", "/api/schema", "/api/docs", "/static/")
# URL names that are public by design (citizens, donors, volunteers signing up), per app.
PUBLIC_NAMES = {
    "hotline:faq", "volunteers:signup", "volunteers:signup_done", "supplies:verify", "supplies:thanks",
    "supplies:trace", "community:resident_link", "community:self_register", "community:resident_service",
    "community:gate_self", "supplies:public_needs",
}
SKIP_PREFIXES = ("/admin/", "/static/", "/media/", "/i18n/", "/accounts/logout/")
# Named URL patterns no link leads to, each with the reason it is not crawled (and where it is tested).
NOT_CRAWLED = {
    "accounts:login": "the login page itself (accounts/tests)",
    "accounts:logout": "POST only",
    "accounts:password_change_done": "reached only after a POST (accounts/tests)",
    "api-schema": "machine-readable schema (interop tests)",
    "api-docs": "documentation page (interop tests)",
    "core:reveal": "POST only (core/tests/test_person_data.py)",
    "core:healthz": "probe for load balancers (core/tests)",
}
MAX_PAGES_PER_PERSONA = 120
MAX_PER_PATTERN = 3


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)


def all_patterns(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from all_patterns(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), (namespace + entry.name) if entry.name else None


def pattern_key(path):
    try:
        match = resolve(urlparse(path).path)
    except Resolver404:
        return None
    return match.route, match.view_name, bool(match.kwargs or match.args)


def crawl(client):
    """GET pages reachable from the home page; returns {url: status} for same-site, non-skipped links."""
    seen, queue, per_pattern, results = set(), ["/"], defaultdict(int), {}
    while queue and len(results) < MAX_PAGES_PER_PERSONA:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        key = pattern_key(url)
        if key is None or per_pattern[key[0]] >= MAX_PER_PATTERN:
            continue
        per_pattern[key[0]] += 1
        response = client.get(url)
        results[url] = response.status_code
        assert response.status_code < 500, f"{url} answered {response.status_code}"
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        parser = _Links()
        parser.feed(response.content.decode("utf-8", "replace"))
        for href in parser.links:
            target = urljoin(url, href)
            parsed = urlparse(target)
            if parsed.netloc and parsed.netloc != "testserver":
                continue
            path = parsed.path + (f"?{parsed.query}" if parsed.query else "")
            if path.startswith(SKIP_PREFIXES) or re.search(r"[?&]page=", path):
                continue
            if path not in seen:
                queue.append(path)
    return results


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_demo")
        users = {u.username: u for u in get_user_model().objects.filter(memberships__isnull=False).distinct()}
        reached = {}
        for username, user in users.items():
            client = Client()
            client.force_login(user)
            reached[username] = crawl(client)
        yield users, reached
        call_command("flush", "--noinput")


def _client(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.django_db
def test_every_page_reached_is_denied_as_missing_to_those_who_cannot_reach_it(demo):
    users, reached = demo
    object_urls = defaultdict(set)  # url -> usernames that reached it with 200
    for username, results in reached.items():
        for url, status in results.items():
            key = pattern_key(url)
            if status == 200 and key and key[2]:
                object_urls[url].add(username)
    assert object_urls, "the crawl found no object pages at all"
    failures = []
    for url, owners in sorted(object_urls.items()):
        for username, user in users.items():
            if username in owners or user.is_superuser:
                continue
            if reached[username].get(url) == 200:
                continue
            status = _client(user).get(url).status_code
            if status == 200:
                # Reachable but not linked for this persona: allowed only if the object is theirs too.
                continue
            if status not in (404, 403, 302):
                failures.append(f"{username} → {url}: {status}")
    assert not failures, "\n".join(failures[:40])


@pytest.mark.django_db
def test_outsider_gets_404_for_every_object_page_of_another_street(demo):
    users, reached = demo
    outsider = users["cq_liaison"]
    outsider_reach = {u for u, s in reached["cq_liaison"].items() if s == 200}
    insiders = ["xf_liaison", "xf_head", "hq_worker", "yh_worker", "yx_liaison", "yh_volunteer"]
    checked, failures = 0, []
    for username in insiders:
        for url, status in reached.get(username, {}).items():
            key = pattern_key(url)
            if status != 200 or not key or not key[2] or url in outsider_reach or key[1] in PUBLIC_NAMES:
                continue
            response = _client(outsider).get(url)
            checked += 1
            if response.status_code != 404:
                failures.append(f"{url} (reached by {username}) → {response.status_code}")
    assert checked, "no object pages of 幸福/永兴 were found to check"
    assert not failures, "\n".join(failures[:40])


@pytest.mark.django_db
def test_anonymous_is_sent_to_login_everywhere_but_public_pages(demo):
    users, reached = demo
    urls = {url for results in reached.values() for url in results}
    anon = _client()
    failures = []
    for url in sorted(urls):
        key = pattern_key(url)
        if url.startswith(PUBLIC_PREFIXES) or (key and key[1] in PUBLIC_NAMES):
            continue
        response = anon.get(url)
        ok = (response.status_code == 302 and "/accounts/login/" in response["Location"]) or (
            url.startswith("/api/") and response.status_code in (401, 403)
        )
        if not ok:
            failures.append(f"{url} → {response.status_code}")
    assert not failures, "\n".join(failures[:40])


@pytest.mark.django_db
def test_every_get_pattern_is_covered_by_the_crawl_or_explained(demo):
    _users, reached = demo
    crawled_routes = {pattern_key(url)[0] for results in reached.values() for url in results if pattern_key(url)}
    missing = []
    for route, name in all_patterns():
        if route.startswith(("admin/", "i18n/", "static/")) or name is None:
            continue
        if route in crawled_routes or name in NOT_CRAWLED:
            continue
        missing.append(f"{route} ({name})")
    assert not missing, "URL patterns neither crawled nor explained in NOT_CRAWLED:\n" + "\n".join(missing)
