"""LibreTranslate against a small HTTP server the test starts: batching, retries,
timeouts, a server that is down, a server that refuses."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from newsdesk_plugins.translate.engines import EngineError
from newsdesk_plugins.translate.engines.libretranslate import LibreTranslate
from newsdesk_plugins.translate.stage import Translator

from .conftest import translate


class Server:
    """A LibreTranslate look-alike: es->en, upper-cases the text; can fail or stall on demand."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.fail_next = 0
        self.status = 500
        self.delay_s = 0.0
        self.answer: Callable[[list[str]], Any] | None = None
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _send(self, code: int, body: Any) -> None:
                data = json.dumps(body).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802
                self._send(200, [{"code": "es", "name": "Spanish", "targets": ["en"]}])

            def do_POST(self) -> None:  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                server.requests.append(body)
                time.sleep(server.delay_s)
                if server.fail_next:
                    server.fail_next -= 1
                    self._send(server.status, {"error": "Too busy"})
                    return
                if body.get("api_key") != "sekret":
                    self._send(403, {"error": "Invalid API key"})
                    return
                q = body["q"]
                answer = server.answer(q) if server.answer else [t.upper() for t in q]
                self._send(200, {"translatedText": answer})

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"


@pytest.fixture()
def server() -> Iterator[Server]:
    srv = Server()
    thread = threading.Thread(target=srv.httpd.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.httpd.shutdown()
    srv.httpd.server_close()


def engine(url: str, key: str = "sekret", timeout_s: float = 5.0, retries: int = 2, batch: int = 2) -> LibreTranslate:
    return LibreTranslate(url, key, timeout_s, retries, batch, backoff_s=0.01)


PARAS = [
    "El gobierno aprobó ayer la nueva ley de vivienda.",
    "La oposición votó en contra del proyecto.",
    "Los alquileres subieron un 8 por ciento el año pasado.",
]


def test_passages_are_sent_in_batches_with_the_key(server: Server, translator: Callable[..., Translator]) -> None:
    """Three Spanish passages with a batch size of 2 are two requests carrying the API key."""
    art = translate(translator(engine(server.url)), "\n\n".join(PARAS))
    assert [len(r["q"]) for r in server.requests] == [2, 1]
    assert all(r["source"] == "es" and r["target"] == "en" and r["api_key"] == "sekret" for r in server.requests)
    assert [s["translation"] for s in art.record["segments"]] == [p.upper() for p in PARAS]
    assert art.record["translation"]["engines"] == ["libretranslate"] and art.status == "ok"


def test_the_server_pairs_decide_support(server: Server) -> None:
    """The pairs come from the server's /languages."""
    e = engine(server.url)
    assert e.supports("es", "en") and not e.supports("de", "en")


def test_a_busy_server_is_retried(server: Server) -> None:
    """A 500 and a 429 are retried; the third attempt succeeds."""
    server.fail_next = 2
    assert engine(server.url).translate(PARAS[:1], "es", "en") == [PARAS[0].upper()]
    assert len(server.requests) == 3


def test_a_refusal_is_not_retried(server: Server) -> None:
    """A wrong key (HTTP 403) fails at once with the server's message."""
    with pytest.raises(EngineError, match="HTTP 403: Invalid API key"):
        engine(server.url, key="wrong").translate(PARAS[:1], "es", "en")
    assert len(server.requests) == 1


def test_a_slow_server_times_out(server: Server) -> None:
    """An answer slower than the timeout is an error after the retries."""
    server.delay_s = 0.5
    with pytest.raises(EngineError, match="after 2 attempt"):
        engine(server.url, timeout_s=0.1, retries=1).translate(PARAS[:1], "es", "en")


def test_a_wrong_answer_shape_is_an_error(server: Server) -> None:
    """Fewer translations than passages is refused."""
    server.answer = lambda q: q[:1]
    with pytest.raises(EngineError, match="one translation per passage"):
        engine(server.url).translate(PARAS[:2], "es", "en")


def test_a_server_that_is_down_leaves_the_passages_and_the_article_goes_on(
        server: Server, translator: Callable[..., Translator]) -> None:
    """The server answers /languages, then goes down: the passages are kept untranslated,
    the reason in errors, and the article is finished."""
    e = engine(server.url, timeout_s=1.0, retries=1)
    assert e.supports("es", "en")
    server.httpd.shutdown()
    server.httpd.server_close()
    art = translate(translator(e), "\n\n".join(PARAS))
    assert all(s["translation"] is None for s in art.record["segments"])
    assert art.status == "partial"
    assert "libretranslate at" in art.errors[0]["message"] and "failed after 2 attempt" in art.errors[0]["message"]


def test_an_unreachable_server_offers_no_pair() -> None:
    """A server that cannot be reached at all supports nothing (auto picks another engine)."""
    e = engine("http://127.0.0.1:9", timeout_s=1.0, retries=0)
    assert not e.supports("es", "en") and "failed" in (e._pairs_error or "")


def test_a_server_down_when_first_asked_is_asked_again_later(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A server that was down when its language list was first asked for is asked again
    (one quick attempt) once PAIRS_RETRY_S has passed, and is used once it answers."""
    from newsdesk_plugins.translate.engines import libretranslate

    srv = Server()
    url, port, handler = srv.url, srv.httpd.server_address[1], srv.httpd.RequestHandlerClass
    srv.httpd.server_close()  # down: nothing listens on the port
    monkeypatch.setattr(libretranslate, "PAIRS_RETRY_S", 0.2)
    e = engine(url, timeout_s=1.0, retries=3)
    assert not e.supports("es", "en") and e._pairs_error
    srv.httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)  # back up, same address
    thread = threading.Thread(target=srv.httpd.serve_forever, daemon=True)
    thread.start()
    try:
        assert not e.supports("es", "en")  # within the retry interval: not asked yet
        time.sleep(0.25)
        assert e.supports("es", "en") and e._pairs_error is None
    finally:
        srv.httpd.shutdown()
        srv.httpd.server_close()
