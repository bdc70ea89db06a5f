"""ChatOpenAI through make_generator against a fake OpenAI-compatible server.

The server runs on 127.0.0.1 in a thread and serves /v1/chat/completions as
JSON or as SSE chunks; it can also sleep, refuse the key or not know the model.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from assistant.llm.generator import make_generator
from assistant.models import Answer, Citation, Query
from assistant.settings import LlmSettings

ENKOPING = "003_034fdc850437dc3c.txt"
DOC = Path(__file__).resolve().parents[1] / "corpus" / "documents" / ENKOPING
KEY = "test-key"
REPLY = (
    "Kommunstyrelsen i Enköping har en kostnad på 7,9 mnkr för lokalhyror i "
    "budget 2023 [1]."
)
RESULT = Citation(
    1,
    ENKOPING,
    "Kommunstyrelsens delårsrapport augusti 2023, Enköpings kommun",
    "7 Uppföljning ekonomi > 7.1 Resultaträkning",
    292,
    300,
    "\n".join(DOC.read_text(encoding="utf-8").split("\n")[291:300]),
)
QUERY = Query(
    text="Hur stora är lokalhyrorna i budget 2023?", search_text="x", lang="sv"
)
EXTRACTIVE = Answer(QUERY.text, "Lokalhyror: Budget 2023 -7,9 [1].", False, (RESULT,))
FALLBACK = " Visar det utdragna svaret."


class FakeOpenAI(BaseHTTPRequestHandler):
    """Answers REPLY; ``server.delay`` seconds late when set."""

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append((self.path, self.headers, body))
        if self.path != "/v1/chat/completions":
            return self._json(404, {"error": {"message": "Not found"}})
        if self.headers.get("Authorization") != f"Bearer {KEY}":
            error = {"message": "Incorrect API key provided", "code": "invalid_api_key"}
            return self._json(401, {"error": error})
        if body["model"] == "broken":
            return self._json(200, {"unexpected": "shape"})
        if body["model"] != "fake":
            error = {"message": f"model '{body['model']}' not found"}
            return self._json(404, {"error": error})
        if self.server.release.wait(self.server.delay):
            return  # the test is over
        if body.get("stream"):
            return self._sse()
        message = {"role": "assistant", "content": REPLY}
        choice = {"index": 0, "message": message, "finish_reason": "stop"}
        self._json(200, {**_envelope("chat.completion"), "choices": [choice]})

    def _json(self, status: int, payload: dict) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _sse(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        pieces = [REPLY[i : i + 9] for i in range(0, len(REPLY), 9)]
        for piece, finish in [*((p, None) for p in pieces), ("", "stop")]:
            delta = {"role": "assistant", "content": piece}
            choice = {"index": 0, "delta": delta, "finish_reason": finish}
            chunk = {**_envelope("chat.completion.chunk"), "choices": [choice]}
            self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
            self.wfile.flush()
        self.wfile.write(b"data: [DONE]\n\n")

    def log_message(self, *args: object) -> None:  # keep test output clean
        pass


def _envelope(kind: str) -> dict:
    return {"id": "chatcmpl-1", "object": kind, "created": 0, "model": "fake"}


@pytest.fixture
def server() -> Iterator[ThreadingHTTPServer]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), FakeOpenAI)
    httpd.daemon_threads = True
    httpd.block_on_close = False
    httpd.requests, httpd.delay, httpd.release = [], 0.0, threading.Event()
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield httpd
    httpd.release.set()
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(autouse=True)
def api_key(monkeypatch):
    monkeypatch.setenv("ASSISTANT_LLM_API_KEY", KEY)


def settings(server, path: str = "/v1", model: str = "fake", timeout_s: float = 5):
    url = f"http://127.0.0.1:{server.server_address[1]}{path}"
    return LlmSettings(
        provider="openai", model=model, base_url=url, timeout_s=timeout_s
    )


def test_generate_through_chat_openai(server):
    answer = make_generator(settings(server)).generate(QUERY, [], [], EXTRACTIVE)
    assert (answer.answer, answer.notice, answer.citations) == (REPLY, "", (RESULT,))
    _, headers, body = server.requests[0]
    assert headers["Authorization"] == f"Bearer {KEY}"  # the key from the environment
    assert body["model"] == "fake" and body["temperature"] == 0
    assert body["messages"][0]["role"] == "system"
    assert "Lokalhyror\t-8,5\t-5,6\t-5,2\t-7,9\t-7,9" in body["messages"][1]["content"]


def test_stream_through_chat_openai(server):
    items = list(make_generator(settings(server)).stream(QUERY, [], [], EXTRACTIVE))
    *pieces, final = items
    assert len(pieces) > 3 and "".join(pieces) == REPLY
    assert isinstance(final, Answer) and final.answer == REPLY and final.notice == ""
    assert server.requests[0][2]["stream"] is True


def test_server_slower_than_the_timeout_falls_back(server):
    server.delay = 5.0
    gen = make_generator(settings(server, timeout_s=0.3))
    start = time.monotonic()
    answer = gen.generate(QUERY, [], [], EXTRACTIVE)
    assert time.monotonic() - start < 3
    assert answer.answer == EXTRACTIVE.answer
    assert answer.notice == "Språkmodellen svarade inte inom 0,3 s." + FALLBACK
    *_, final = gen.stream(QUERY, [], [], EXTRACTIVE)
    assert final.notice == answer.notice


def test_invalid_api_key_falls_back(server, monkeypatch):
    monkeypatch.setenv("ASSISTANT_LLM_API_KEY", "wrong")
    answer = make_generator(settings(server)).generate(QUERY, [], [], EXTRACTIVE)
    assert answer.answer == EXTRACTIVE.answer
    assert answer.notice == (
        "Språkmodellen nekade åtkomst (HTTP 401); kontrollera ASSISTANT_LLM_API_KEY."
        + FALLBACK
    )


NOT_FOUND = (
    "Modellen eller adressen finns inte (HTTP 404); kontrollera modellnamnet och "
    "base_url." + FALLBACK
)


def test_unknown_model_falls_back(server):
    gen = make_generator(settings(server, model="qwen-huge"))
    answer = gen.generate(QUERY, [], [], EXTRACTIVE)
    assert (answer.answer, answer.notice) == (EXTRACTIVE.answer, NOT_FOUND)
    *_, final = gen.stream(QUERY, [], [], EXTRACTIVE)
    assert final.notice == NOT_FOUND


def test_wrong_base_url_path_falls_back(server):
    answer = make_generator(settings(server, path="/api")).generate(
        QUERY, [], [], EXTRACTIVE
    )
    assert (answer.answer, answer.notice) == (EXTRACTIVE.answer, NOT_FOUND)
    assert server.requests[0][0] == "/api/chat/completions"


def test_closed_port_falls_back():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/v1"
    gen = make_generator(
        LlmSettings(provider="openai", model="fake", base_url=url, timeout_s=2)
    )
    answer = gen.generate(QUERY, [], [], EXTRACTIVE)
    assert answer.answer == EXTRACTIVE.answer
    assert answer.notice == (
        f"Språkmodellen gick inte att nå på {url}; kontrollera base_url och att "
        "servern är igång." + FALLBACK
    )
    *_, final = gen.stream(QUERY, [], [], EXTRACTIVE)
    assert final.notice == answer.notice


def test_malformed_reply_falls_back(server):
    gen = make_generator(settings(server, model="broken"))
    answer = gen.generate(QUERY, [], [], EXTRACTIVE)
    assert (answer.answer, answer.notice) == (
        EXTRACTIVE.answer,
        "Språkmodellen gav ett oväntat svar." + FALLBACK,
    )
