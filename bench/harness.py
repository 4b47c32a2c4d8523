"""The production server setup for the reliability runs (bench/load.py, bench/faults.py, tests/test_reliability_*).

`Stack` prepares a fresh database (migrate + load_demo, SQLite in a fresh SHOUHU_VAR_DIR or the PostgreSQL
of SHOUHU_DATABASE_URL), starts gunicorn (shouhu.wsgi, several workers × threads, 127.0.0.1 only) and one
`manage.py worker`, and can kill -9 / restart either. `Client` is a keep-alive HTTP session (http.client,
cookies, CSRF) — no new dependency. `throwaway_postgres()` starts a PostgreSQL 15 in a temp dir like .ci/run.
"""

import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEMO_PASSWORD = "Shouhu@2020"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _pg_bin():
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: [int(x) for x in re.findall(r"\d+", p.parent.name)])
    return candidates[-1] if candidates else None


def _as_postgres(args, **kwargs):
    """PostgreSQL refuses to run as root: run its tools as `postgres` then (as .ci/run does)."""
    if os.geteuid() == 0:
        args = ["runuser", "-u", "postgres", "--", *args]
    return subprocess.run(args, check=True, capture_output=True, text=True, **kwargs)


class Postgres:
    def __init__(self):
        self.bin = _pg_bin()
        if self.bin is None:
            raise RuntimeError("PostgreSQL is not installed (/usr/lib/postgresql/*/bin)")
        self.dir = Path(tempfile.mkdtemp(prefix="shouhu-pg-"))
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
        self.port = free_port()
        _as_postgres([str(self.bin / "initdb"), "-D", str(self.dir / "data"), "-U", "shouhu", "--auth=trust",
                      "-E", "UTF8", "--locale=C.UTF-8"])
        self.start()
        _as_postgres([str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "shouhu", "shouhu"])
        self.url = f"postgres://shouhu@127.0.0.1:{self.port}/shouhu"

    def start(self):
        # Durable settings (fsync on): the point is to measure what production would keep.
        _as_postgres([str(self.bin / "pg_ctl"), "-D", str(self.dir / "data"), "-l", str(self.dir / "server.log"),
                      "-w", "start", "-o", f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 "
                      "-c max_connections=300"])

    def stop(self, mode="fast"):
        _as_postgres([str(self.bin / "pg_ctl"), "-D", str(self.dir / "data"), "-m", mode, "-w", "stop"])

    def destroy(self):
        try:
            self.stop("immediate")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)


@contextmanager
def throwaway_postgres():
    pg = Postgres()
    try:
        yield pg
    finally:
        pg.destroy()


@contextmanager
def scratch_database(url):
    """'' (SQLite: the Stack makes its own file) or a fresh database created next to the one `url` names and
    dropped afterwards, so a test run never touches the database the suite (or a developer) uses."""
    if not url:
        yield ""
        return
    import psycopg

    parsed = urllib.parse.urlsplit(url)
    name = f"shouhu_rel_{os.getpid()}_{int(time.time())}"
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield parsed._replace(path="/" + name).geturl()
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


SETUP = r"""
import json
from places.models import OrgUnit
from hotline.models import Category
gates = list(OrgUnit.objects.filter(kind="gate", path__startswith=OrgUnit.objects.get(name="永和佳苑").path)
             .values_list("pk", flat=True))
print("SETUP" + json.dumps({
    "gates": gates,
    "xingfu": OrgUnit.objects.get(code="320611006").pk,
    "category": Category.objects.filter(active=True, code__startswith="EP-").exclude(children__isnull=False)
                .values_list("code", flat=True).first(),
}))
"""


class Stack:
    """The server processes, on a database of their own."""

    def __init__(self, database_url="", workers=4, threads=8, var_dir=None):
        self.var_dir = Path(var_dir or tempfile.mkdtemp(prefix="shouhu-rel-"))
        self.port = free_port()
        self.workers, self.threads = workers, threads
        self.env = {**os.environ, "SHOUHU_DEMO": "1", "SHOUHU_VAR_DIR": str(self.var_dir),
                    "DJANGO_SETTINGS_MODULE": "shouhu.settings", "SHOUHU_WORKER_SLEEP_SECONDS": "0.2",
                    "PYTHONUNBUFFERED": "1",
                    # Shared between runs: collectstatic (the manifest whitenoise needs) is then incremental.
                    "SHOUHU_STATIC_ROOT": str(ROOT / "var" / "reliability-static")}
        for name in ("SHOUHU_TESTING", "SHOUHU_DEBUG", "SHOUHU_DATABASE_URL"):
            self.env.pop(name, None)
        if database_url:
            self.env["SHOUHU_DATABASE_URL"] = database_url
        self.web = self.worker = None
        self.info = {}

    # -- lifecycle ------------------------------------------------------------------------------------------
    def manage(self, *args, input_text=None, check=True):
        done = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=self.env, input=input_text,
                              capture_output=True, text=True)
        if check and done.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
        return done

    def prepare(self):
        self.manage("migrate", "--noinput")
        self.manage("collectstatic", "--noinput")
        self.manage("load_demo")
        out = self.manage("shell", input_text=SETUP).stdout
        self.info = json.loads(out[out.index("SETUP") + 5:].splitlines()[0])
        return self.info

    def start_web(self):
        log = open(self.var_dir / "gunicorn.log", "ab")
        self.web = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "shouhu.wsgi", "-b", f"127.0.0.1:{self.port}", "-w", str(self.workers),
             "--threads", str(self.threads), "--timeout", "60", "--graceful-timeout", "5", "--backlog", "2048",
             "--keep-alive", "30"],
            cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.wait_up()

    def start_worker(self):
        log = open(self.var_dir / "worker.log", "ab")
        self.worker = subprocess.Popen([PYTHON, "manage.py", "worker"], cwd=ROOT, env=self.env, stdout=log,
                                       stderr=subprocess.STDOUT, start_new_session=True)

    def wait_up(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/accounts/login/")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError("the web server did not come up; see " + str(self.var_dir / "gunicorn.log"))

    @staticmethod
    def _kill(proc, sig):
        if proc is not None and proc.poll() is None:
            os.killpg(proc.pid, sig)  # the process group: gunicorn's master and all its workers
            proc.wait(timeout=30)

    def kill_web(self):
        self._kill(self.web, signal.SIGKILL)

    def kill_worker(self):
        self._kill(self.worker, signal.SIGKILL)

    def stop(self):
        self._kill(self.web, signal.SIGTERM)
        self._kill(self.worker, signal.SIGTERM)

    def cleanup(self):
        self.stop()
        keep = os.environ.get("SHOUHU_BENCH_LOGS")  # a directory: the server and worker logs are kept there
        if keep:
            Path(keep).mkdir(parents=True, exist_ok=True)
            for log in self.var_dir.glob("*.log"):
                shutil.copy(log, Path(keep) / f"{self.port}-{log.name}")
        shutil.rmtree(self.var_dir, ignore_errors=True)

    def __enter__(self):
        self.prepare()
        self.start_web()
        self.start_worker()
        return self

    def __exit__(self, *exc):
        self.cleanup()

    def query(self, code):
        """Run Python in the app (Django set up) and return what it prints after 'RESULT' as JSON."""
        out = self.manage("shell", input_text=code).stdout
        return json.loads(out[out.index("RESULT") + 6:].splitlines()[0])


class Client:
    """One keep-alive HTTP session: cookies, CSRF token, JSON bodies; reconnects when the server went away."""

    def __init__(self, port, cookies=None, timeout=60):
        self.port, self.timeout = port, timeout
        self.cookies = dict(cookies or {})
        self.conn = None

    def _connection(self):
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        return self.conn

    def request(self, method, path, body=None, headers=None, form=False):
        hdrs = {"Accept": "application/json", "Referer": f"http://127.0.0.1:{self.port}/"}
        if self.cookies:
            hdrs["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if "csrftoken" in self.cookies:
            hdrs["X-CSRFToken"] = self.cookies["csrftoken"]
        if body is not None:
            if form:
                data = urllib.parse.urlencode(body).encode()
                hdrs["Content-Type"] = "application/x-www-form-urlencoded"
            else:
                data = json.dumps(body, ensure_ascii=False).encode()
                hdrs["Content-Type"] = "application/json"
        else:
            data = None
        hdrs.update(headers or {})
        for attempt in (1, 2):
            reused = self.conn is not None
            try:
                conn = self._connection()
                conn.request(method, path, body=data, headers=hdrs)
                resp = conn.getresponse()
                payload = resp.read()
                break
            except (OSError, http.client.HTTPException):
                self.close()
                # A kept-alive connection the server closed meanwhile (its keep-alive timeout): send again on a
                # new one, as browsers do. Safe for writes too: every POST here carries an idempotency key.
                if attempt == 2 or not reused:
                    raise
        for value in resp.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        if resp.getheader("Connection", "").lower() == "close":
            self.close()
        return resp.status, payload

    def json(self, method, path, body=None, headers=None):
        status, payload = self.request(method, path, body, headers)
        try:
            return status, json.loads(payload or b"null")
        except ValueError:
            return status, None

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def login(self, username, password=DEMO_PASSWORD):
        status, page = self.request("GET", "/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        status, _ = self.request("POST", "/accounts/login/", {"username": username, "password": password,
                                                              "csrfmiddlewaretoken": token}, form=True)
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"login of {username} failed ({status})")
        return dict(self.cookies)
