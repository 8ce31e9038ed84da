"""The bundled spec served by stock Stoplight Prism, the mock server most users reach for.

Prism (``@stoplight/prism-cli``, pinned in the repository's ``package.json``, installed by
README command 1 with ``npm ci``) is started once for this module on 127.0.0.1 and a free
port, from ``spec/messages.yaml`` as it is, and stopped by its PID at the end. Requests go
through plain httpx (to see exactly what Prism answers) and through the generated client
(to see that what users run works against it): plain and beta calls are routed, invalid
requests are refused with the spec's validation errors, and every stream example arrives
whole, so a conforming SSE reader dispatches each event up to ``message_stop``.

Without Prism the module is skipped, except under CI (``CI=true``), where ``.ci/run``
installs it and a missing Prism is a failure.

Two shapes of spec break Prism 5.14-5.16, and ``prism_breakers`` names them so a test that
needs the shape fixed is an expected failure while the spec still has it:

- a header parameter whose schema is ``type: array``: Prism's header deserializer splits
  the value without checking it is present, so the first request without that header kills
  the whole server. A string schema, or ``anyOf`` of an array and a string, is served;
- an SSE example written as a ``|+`` block scalar: Prism's YAML reader keeps one line break
  fewer than YAML says, so the blank line that dispatches the last event is lost. A
  double-quoted scalar with explicit ``\\n`` escapes reads the same in both.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from tests.client_support import GENERATED  # noqa: F401  (puts generated/ on sys.path)

import anthropic_messages  # isort: skip
from anthropic_messages import Anthropic  # isort: skip

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "spec" / "messages.yaml"
PRISM = ROOT / "node_modules" / ".bin" / "prism"
OPERATION = ("paths", "/v1/messages", "post")
API_KEY = "sk-ant-prism-test"
HEADERS = {"x-api-key": API_KEY, "anthropic-version": "2023-06-01"}
BODY: dict[str, Any] = {
    "model": "claude-3-7-sonnet-20250219",
    "max_tokens": 16,
    "messages": [{"role": "user", "content": "Hello, Claude"}],
}
START_TIMEOUT = 90.0


# -- what in the spec trips Prism ------------------------------------------------------------


def _child(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if k.value == key:
                return v
    return None


def _resolve(doc: dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        target: Any = doc
        for part in node["$ref"][2:].split("/"):
            target = target[part]
        node = target
    return node


def prism_breakers() -> dict[str, str]:
    """The spec shapes Prism cannot serve, by kind ("header", "sse"), with where they are."""
    text = SPEC.read_text(encoding="utf-8")
    doc = yaml.safe_load(text)
    found: dict[str, str] = {}
    op = doc["paths"]["/v1/messages"]["post"]
    for param in op.get("parameters") or []:
        param = _resolve(doc, param)
        schema = _resolve(doc, param.get("schema") or {})
        if param.get("in") == "header" and schema.get("type") == "array":
            found["header"] = f"spec: array-typed header {param['name']!r} crashes Prism"
    node: Any = yaml.compose(text)
    for key in (*OPERATION, "responses", "200", "content", "text/event-stream", "examples"):
        node = _child(node, key)
    for name, example in node.value if isinstance(node, yaml.MappingNode) else []:
        value = _child(example, "value")
        if isinstance(value, yaml.ScalarNode) and value.style in ("|", ">"):
            found["sse"] = f"spec: Prism drops the last blank line of SSE example {name.value!r}"
            break
    return found


BREAKERS = prism_breakers()


# How each breaker shows: a dead server, or a stream that stops short. Anything else (a
# missing Prism under CI included) is a real failure even while the mark applies.
SYMPTOMS: dict[str, tuple[type[BaseException], ...]] = {
    "header": (httpx.TransportError, anthropic_messages.APIConnectionError),
    "sse": (AssertionError, anthropic_messages.IncompleteStreamError),
}


def needs_fixed(*kinds: str) -> pytest.MarkDecorator:
    present = [k for k in kinds if k in BREAKERS]
    return pytest.mark.xfail(
        bool(present),
        reason="; ".join(BREAKERS[k] for k in present) or "-",
        raises=tuple(e for k in present for e in SYMPTOMS[k]) or None,
        strict=False,
    )


# -- the server ------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def prism(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    missing = None
    if shutil.which("node") is None:
        missing = "node is not on PATH"
    elif not PRISM.exists():
        missing = "node_modules/.bin/prism is missing: run `npm ci --ignore-scripts`"
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Prism is required under CI (.ci/run installs it): {missing}")
        pytest.skip(f"Prism is not installed ({missing}; README command 1 installs it)")
    port = _free_port()
    log = tmp_path_factory.mktemp("prism") / "prism.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(PRISM), "mock", "--host", "127.0.0.1", "--port", str(port), str(SPEC)],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "SCARF_ANALYTICS": "false", "NO_COLOR": "1"},
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while "Prism is listening" not in log.read_text(errors="replace"):
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"Prism did not start:\n{log.read_text(errors='replace')}")
            time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def post(url: str, body: Any = None, *, beta: bool = False, headers: dict[str, str] | None = None,
         drop: tuple[str, ...] = ()) -> httpx.Response:
    sent = {**HEADERS, **(headers or {})}
    for name in drop:
        sent.pop(name)
    target = url + "/v1/messages" + ("?beta=true" if beta else "")
    return httpx.post(target, json=BODY if body is None else body, headers=sent, timeout=30)


def violations(response: httpx.Response) -> list[dict[str, Any]]:
    """Prism's validation findings, which it sends in the `sl-violations` header.

    When they are many (an unknown block checked against every variant of a large union),
    Prism prefixes "Too many violations!" and cuts the JSON list short: the complete
    findings before the cut are kept.
    """
    raw = response.headers.get("sl-violations", "[]")
    raw = raw[raw.index("[") :] if "[" in raw else "[]"
    try:
        return list(json.loads(raw))
    except json.JSONDecodeError:
        found: list[dict[str, Any]] = []
        decoder, at = json.JSONDecoder(), 1
        while at < len(raw):
            try:
                item, at = decoder.raw_decode(raw, at)
            except json.JSONDecodeError:
                break
            found.append(item)
            at += 1  # the comma between findings
        return found


# -- SSE, read as a conforming reader reads it (WHATWG HTML, "event stream interpretation") --


def dispatched(text: str) -> list[tuple[str, str]]:
    """The (event, data) pairs a reader dispatches; one is dispatched only at a blank line."""
    events: list[tuple[str, str]] = []
    name, data = "", list[str]()
    for line in text.replace("\r\n", "\n").split("\n")[:-1]:  # a last line with no EOL is dropped
        if line == "":
            if data:
                events.append((name or "message", "\n".join(data)))
            name, data = "", []
        elif not line.startswith(":"):
            key, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if key == "event":
                name = value
            elif key == "data":
                data.append(value)
    return events


def sse_examples() -> dict[str, str]:
    doc = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    node: Any = doc
    for key in (*OPERATION, "responses", "200", "content", "text/event-stream", "examples"):
        node = _resolve(doc, node[key])
    return {name: _resolve(doc, example)["value"] for name, example in node.items()}


SSE_EXAMPLES = sse_examples()


# -- plain httpx -----------------------------------------------------------------------------


@needs_fixed("header")
def test_plain_request_without_beta_header_is_answered_and_prism_survives(prism: str) -> None:
    for _ in range(2):  # the second request proves the first did not bring Prism down
        response = post(prism)
        assert response.status_code == 200, response.text
        message = response.json()
        assert message["type"] == "message" and message["role"] == "assistant"
        assert isinstance(message["content"], list)
        assert violations(response) == []


@needs_fixed("header")
@pytest.mark.parametrize("betas", ["output-128k-2025-02-19", "output-128k-2025-02-19,files-api-2025-04-14"])
def test_beta_request_with_header_is_answered(prism: str, betas: str) -> None:
    response = post(prism, beta=True, headers={"anthropic-beta": betas})
    assert response.status_code == 200, response.text
    assert response.json()["type"] == "message"
    assert violations(response) == []


@needs_fixed("header")
def test_beta_request_without_header_is_answered(prism: str) -> None:
    response = post(prism, beta=True)
    assert response.status_code == 200, response.text
    assert response.json()["type"] == "message"


INVALID: list[tuple[str, dict[str, Any], dict[str, Any], int, list[str], str]] = [
    # id, body changes, post() options, status, violation location, violation code
    ("missing max_tokens", {"max_tokens": None}, {}, 400, ["request", "body"], "required"),
    ("unknown role", {"messages": [{"role": "robot", "content": "Hi"}]}, {}, 400,
     ["request", "body", "messages", "0", "role"], "enum"),
    ("wrong api version", {}, {"headers": {"anthropic-version": "1999-01-01"}}, 400,
     ["request", "header", "anthropic-version"], "const"),
    ("missing api version", {}, {"drop": ("anthropic-version",)}, 400,
     ["request", "header"], "required"),
    ("missing api key", {}, {"drop": ("x-api-key",)}, 401, ["request"], "401"),
]


@needs_fixed("header")
@pytest.mark.parametrize(
    "changes, options, status, location, code", [case[1:] for case in INVALID],
    ids=[case[0] for case in INVALID],
)
def test_invalid_request_is_refused_with_its_violation(
    prism: str, changes: dict[str, Any], options: dict[str, Any], status: int,
    location: list[str], code: str,
) -> None:
    body = {k: v for k, v in {**BODY, **changes}.items() if v is not None}
    response = post(prism, body, **options)
    assert response.status_code == status, response.text
    found = violations(response)
    assert any(v["location"] == location and str(v["code"]) == code for v in found), found
    # The body is the spec's example for that status: the API's error envelope.
    envelope = response.json()
    assert envelope["type"] == "error" and envelope["error"]["type"].endswith("_error")


@needs_fixed("header")
def test_beta_request_is_validated_as_beta(prism: str) -> None:
    """Prism reads no ``x-variants``: it validates with the operation's standard
    ``requestBody``, which is therefore the beta superset (spec/README.md, "Prism")."""
    headers = {"anthropic-beta": "mcp-client-2025-04-04,compact-2026-01-12"}
    # A block only the beta form knows, passed back in a later turn: accepted.
    turns = [
        {"role": "user", "content": "Summarise our talk so far."},
        {"role": "assistant", "content": [{"type": "compaction", "content": "We discussed SSE."}]},
        {"role": "user", "content": "Go on."},
    ]
    response = post(prism, {**BODY, "messages": turns}, beta=True, headers=headers)
    assert response.status_code == 200, violations(response)[:3]
    # A beta-only parameter of the wrong shape: refused, at that parameter.
    response = post(prism, {**BODY, "mcp_servers": "not a list"}, beta=True, headers=headers)
    assert response.status_code == 400, response.text
    assert any(v["location"] == ["request", "body", "mcp_servers"] for v in violations(response))


@needs_fixed("header")
def test_plain_request_is_validated_against_the_beta_superset(prism: str) -> None:
    """Prism routes on the path only, so a request without ``?beta=true`` meets the same
    superset: beta parameters are checked for shape, but not refused as beta-only. The
    generated ``client.messages.create`` has no such arguments, so it cannot send them;
    spec/README.md says this of Prism.
    """
    response = post(prism, {**BODY, "mcp_servers": "not a list"})
    assert response.status_code == 400, response.text
    assert any(v["location"] == ["request", "body", "mcp_servers"] for v in violations(response))
    server = {"type": "url", "url": "https://mcp.example.com/sse", "name": "example"}
    response = post(prism, {**BODY, "mcp_servers": [server]})
    assert response.status_code == 200, violations(response)[:3]


@needs_fixed("header")
def test_unknown_block_type_is_refused(prism: str) -> None:
    body = {**BODY, "messages": [{"role": "user", "content": [{"type": "future_block_2099"}]}]}
    response = post(prism, body)
    assert response.status_code == 400
    assert any(v["location"][:4] == ["request", "body", "messages", "0"] for v in violations(response))


@needs_fixed("header", "sse")
@pytest.mark.parametrize("name", sorted(SSE_EXAMPLES))
def test_stream_example_arrives_whole_and_is_fully_dispatched(prism: str, name: str) -> None:
    headers = {"accept": "text/event-stream", "prefer": f"example={name}"}
    response = post(prism, {**BODY, "stream": True}, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/event-stream")
    expected = dispatched(SSE_EXAMPLES[name])
    assert expected and expected[0][0] == "message_start"
    assert expected[-1][0] in ("message_stop", "error")  # the spec's own example is complete
    assert response.text == SSE_EXAMPLES[name]
    assert dispatched(response.text) == expected


@needs_fixed("header")
def test_beta_stream_is_served(prism: str) -> None:
    headers = {"accept": "text/event-stream", "anthropic-beta": "output-128k-2025-02-19"}
    response = post(prism, {**BODY, "stream": True}, beta=True, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/event-stream")
    assert response.text.startswith("event: message_start\n")


# -- the generated client --------------------------------------------------------------------


@pytest.fixture
def client(prism: str) -> Iterator[Anthropic]:
    with Anthropic(api_key=API_KEY, base_url=prism, max_retries=0) as c:
        yield c


@needs_fixed("header")
def test_client_create_and_beta_create(client: Anthropic) -> None:
    message = client.messages.create(**BODY)
    assert isinstance(message, anthropic_messages.types.Message)
    assert message.role == "assistant" and message.content
    beta = client.beta.messages.create(**BODY, betas=["output-128k-2025-02-19", "files-api-2025-04-14"])
    assert beta.type == "message" and beta.content


@needs_fixed("header")
def test_client_invalid_request_raises_bad_request(client: Anthropic) -> None:
    with pytest.raises(anthropic_messages.BadRequestError) as caught:
        client.messages.create(
            model=BODY["model"], max_tokens=16,
            messages=[{"role": "robot", "content": "Hi"}],  # type: ignore[typeddict-item]
        )
    assert caught.value.status_code == 400
    assert caught.value.body["error"]["type"] == "invalid_request_error"


@needs_fixed("header", "sse")
def test_client_stream_runs_to_message_stop(client: Anthropic) -> None:
    events = list(client.messages.create(**BODY, stream=True))
    assert events[0].type == "message_start"
    assert events[-1].type == "message_stop"
    with client.messages.stream(**BODY) as stream:
        final = stream.get_final_message()
    assert final.stop_reason is not None
    assert "".join(b.text for b in final.content if b.type == "text")


@needs_fixed("header", "sse")
def test_client_beta_stream_runs_to_message_stop(client: Anthropic) -> None:
    events = list(client.beta.messages.create(**BODY, stream=True, betas=["output-128k-2025-02-19"]))
    assert [events[0].type, events[-1].type] == ["message_start", "message_stop"]
