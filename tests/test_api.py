"""The HTTP API through Flask's test client, with the real embedded model."""

import json

import pytest

pytestmark = pytest.mark.model

DANA = {
    "draft": "Order shipped Tuesday. Tracking 1Z999AA10123456784. Should arrive Friday.",
    "customer_message": "My order #A1043 still hasn't arrived and it's been two weeks. I needed it for my daughter's birthday!",
    "customer_name": "Dana",
    "agent_name": "Sam",
}


def sse_events(body: str) -> list[tuple[str, dict]]:
    events = []
    for block in body.strip().split("\n\n"):
        if block.startswith(":"):
            continue  # a keep-alive comment
        lines = dict(line.split(": ", 1) for line in block.splitlines())
        events.append((lines["event"], json.loads(lines["data"])))
    return events


def test_rewrite_keeps_facts_and_says_how(client):
    response = client.post("/v1/rewrite", json=DANA)
    assert response.status_code == 200
    body = response.get_json()
    for fact in ("Tuesday", "1Z999AA10123456784", "Friday", "Dana", "Sam"):
        assert fact in body["reply"]
    assert {"kind": "code", "text": "1Z999AA10123456784"} in body["facts"]
    assert body["path"]["mirror"] in {"model", "fallback", "none"}
    assert body["path"]["body"] in {"model", "draft"}
    assert all(check["ok"] for check in body["checks"])
    assert 0 <= body["model_share"] <= 1


def test_stream_sends_facts_then_text_then_the_result(client):
    response = client.post("/v1/rewrite/stream", json=DANA)
    assert response.status_code == 200
    assert response.mimetype == "text/event-stream"
    events = sse_events(response.get_data(as_text=True))
    names = [name for name, _ in events]
    assert names[0] == "facts" and names[-1] == "done"
    assert names.index("text") < names.index("done")
    streamed = ""
    for name, data in events:
        if name == "text":
            streamed += data["text"]
        elif name == "replace":
            streamed = data["text"]
    assert streamed == events[-1][1]["reply"]
    assert len([n for n in names if n == "text"]) >= 2  # the greeting first, then the rest as it is ready


def test_health_names_the_model(client):
    body = client.get("/v1/health").get_json()
    assert body["status"] == "ok"
    assert body["model"]["name"] == "gemma-3-270m"


def test_models_lists_the_catalogue(client):
    body = client.get("/v1/models").get_json()
    assert body["loaded"] == "gemma-3-270m"
    names = {m["name"] for m in body["models"]}
    assert {"gemma-3-270m", "smollm2-135m-instruct"} <= names
    assert all(len(m["sha256"]) == 64 for m in body["models"])


@pytest.mark.parametrize(
    "data, content_type, status, code",
    [
        (json.dumps({"draft": ""}), "application/json", 400, "invalid_request"),
        (json.dumps({"draft": "  \n\t  "}), "application/json", 400, "invalid_request"),
        (json.dumps({"draft": "x" * 1_000_000}), "application/json", 413, "request_entity_too_large"),
        (bytes(range(256)) * 8, "application/json", 400, "invalid_utf8"),
        (json.dumps({"draft": 42}), "application/json", 400, "invalid_request"),
        (json.dumps({"draft": ["a"]}), "application/json", 400, "invalid_request"),
        (json.dumps({"draft": "Hi", "tone": "sarcastic"}), "application/json", 400, "invalid_request"),
        (json.dumps({"draft": "Hi", "customerMessage": "x"}), "application/json", 400, "unknown_field"),
        (json.dumps(["draft"]), "application/json", 400, "invalid_request"),
        ("{draft: nope", "application/json", 400, "invalid_json"),
        ("", "application/json", 400, "invalid_request"),
        (json.dumps({"customer_message": "hi"}), "application/json", 400, "invalid_request"),
        (json.dumps({"draft": "x" * 4001}), "application/json", 400, "invalid_request"),
    ],
)
def test_bad_input_is_a_clear_json_error_and_the_server_keeps_serving(client, data, content_type, status, code):
    for path in ("/v1/rewrite", "/v1/rewrite/stream"):
        response = client.post(path, data=data, content_type=content_type)
        assert response.status_code == status
        error = response.get_json()["error"]
        assert error["code"] == code and error["message"]
    assert client.post("/v1/rewrite", json={"draft": "Got them."}).status_code == 200


def test_unknown_route_and_method_are_json_errors(client):
    assert client.get("/v1/nope").get_json()["error"]["code"] == "not_found"
    assert client.get("/v1/rewrite").get_json()["error"]["code"] == "method_not_allowed"


def test_while_the_model_loads_rewrites_wait_with_a_clear_503(app, client):
    slot = app.extensions["warmitup.engine"]
    slot.state = "loading"
    response = client.post("/v1/rewrite", json={"draft": "Got them."})
    assert response.status_code == 503
    assert response.headers["Retry-After"]
    assert response.get_json()["error"]["code"] == "model_loading"
    assert client.get("/v1/health").get_json()["status"] == "loading"


def test_logs_hold_sizes_not_text(client, caplog):
    marker = "Zebra-Quokka-Marker"
    caplog.set_level("DEBUG")
    client.post("/v1/rewrite", json={"draft": f"Refund issued for {marker}.", "customer_message": f"Where is {marker}?"})
    assert "rewrite status=ok" in caplog.text
    assert marker not in caplog.text


def test_without_a_model_the_deterministic_reply_is_served(deterministic_client):
    body = deterministic_client.post("/v1/rewrite", json=DANA).get_json()
    assert body["path"]["mirror"] != "model" and body["path"]["body"] == "draft"
    assert "1Z999AA10123456784" in body["reply"]
    assert deterministic_client.get("/v1/health").get_json()["model"] is None


def test_sign_off_false_leaves_the_signing_to_the_compose_signature(deterministic_client):
    signed = deterministic_client.post("/v1/rewrite", json=DANA).get_json()
    assert signed["reply"].endswith("Best,\nSam") and signed["parts"]["signoff"] == "Best,\nSam"
    unsigned = deterministic_client.post("/v1/rewrite", json={**DANA, "sign_off": False}).get_json()
    assert unsigned["reply"] == signed["reply"][: -len("Best,\nSam")].rstrip()
    assert unsigned["parts"]["signoff"] == "" and "Sam" not in unsigned["reply"]
    assert "".join(c["text"] for c in unsigned["changes"] if c["op"] != "removed") == unsigned["reply"]

    events = sse_events(deterministic_client.post("/v1/rewrite/stream", json={**DANA, "sign_off": False}).get_data(as_text=True))
    streamed = ""
    for name, data in events:
        streamed = streamed + data["text"] if name == "text" else data["text"] if name == "replace" else streamed
    assert events[-1][0] == "done" and streamed == events[-1][1]["reply"] == unsigned["reply"]

    # The agent's own sign-off is part of the draft: it stays.
    own = deterministic_client.post("/v1/rewrite", json={**DANA, "draft": DANA["draft"] + "\n\nThanks,\nSam", "sign_off": False})
    assert own.get_json()["reply"].endswith("Thanks,\nSam")
    wrong = deterministic_client.post("/v1/rewrite", json={**DANA, "sign_off": "no"})
    assert wrong.status_code == 400 and "sign_off" in wrong.get_json()["error"]["message"]
