"""The city platform's receiving end of our status webhook, as a local HTTP server thread on 127.0.0.1 (port
chosen by the OS): the one fake shared by interop's tests and the worker-kill test (tests/test_reliability_kill.py).

It behaves as docs/interop.md asks of a receiver: it checks the signature and applies each X-Shouhu-Event-Id
once, answering 2xx to a repeat. The signature is recomputed here from the documented recipe, not with
interop.services.sign, so a change of the wire format fails the tests instead of agreeing with itself.
A per-request hook (`on_request`) lets a test act while the sender waits for the answer (e.g. hold it open).
"""

import hashlib
import hmac
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Received:
    at: float
    headers: dict
    body: bytes
    event_id: str
    signed: bool  # the signature matches the shared secret


class FakePlatform:
    """Records every request in `received`; `applied` lists the event ids applied (each once); answers `status`."""

    def __init__(self, secret, on_request=None):
        self.secret, self.on_request = secret, on_request
        self.received, self.applied, self.status = [], [], 200
        self._lock = threading.Lock()
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                platform._receive(self)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/12345/callback"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def _receive(self, handler):
        body = handler.rfile.read(int(handler.headers["Content-Length"]))
        headers = dict(handler.headers)
        stamp = headers.get("X-Shouhu-Timestamp", "")
        good = hmac.new(self.secret.encode(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
        request = Received(time.time(), headers, body, headers.get("X-Shouhu-Event-Id", ""),
                           hmac.compare_digest(headers.get("X-Shouhu-Signature", ""), "sha256=" + good))
        status = self.status
        with self._lock:
            self.received.append(request)
            # The platform's own transaction: apply the message and remember its id, only if it accepts it.
            if request.signed and 200 <= status < 300 and request.event_id not in self.applied:
                self.applied.append(request.event_id)
        if self.on_request is not None:
            self.on_request(request)
        try:
            handler.send_response(status)
            handler.end_headers()
        except OSError:
            pass  # the sender went away (killed) before the answer

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@contextmanager
def serving(settings, secret, on_request=None):
    """A FakePlatform configured as the webhook target (pytest-django `settings`) for the duration."""
    platform = FakePlatform(secret, on_request)
    settings.UPPER_WEBHOOK_URL, settings.UPPER_WEBHOOK_SECRET = platform.url, secret
    try:
        yield platform
    finally:
        platform.close()
