"""Team voice: profiles applied to rewrites (the real model), import and export, history
(off by default, retention), the store under a crash, and the settings page's safety."""

from __future__ import annotations

import json
import re

import pytest

from conftest import TOKEN, kill_mid_write, loopback_client
from warmitup import create_app
from warmitup.guard import Context, check_reply, failed
from warmitup.teamstore import TeamStore
from warmitup.voice import ProfileError, parse_profile

BAKERY = {
    "name": "Crumb & Co.",
    "greeting": "Hello {customer}!",
    "signoff": "Warmly,\n{agent}\nCrumb & Co.",
    "avoid": [
        {"phrase": "per our policy", "instead": "because"},
        {"phrase": "Nope", "instead": "I'm afraid not"},
        {"phrase": "ASAP", "instead": "as soon as we can"},
    ],
    "keep_words": ["CrumbCard"],
    "formality": "warm",
    "emoji": False,
    "examples": [
        {
            "draft": "Cake ready Sat 10am.",
            "reply": "Hello Jo!\n\nThank you for ordering your birthday cake with us. Your cake is ready on Sat at 10am.\n\nWarmly,\nBea",
            "customer_message": "When can I pick up the birthday cake?",
        }
    ],
}

# (customer message, draft): each draft says an avoided phrase; some customers do too.
AVOIDED_CASES = [
    ("Can I get a refund for the dry loaf?", "Nope. Per our policy no refunds on bread after 2 days."),
    ("Will my crumbcard points expire??", "Nope, crumbcard points never expire."),
    ("My order 5512 is late and I need it ASAP.", "Order 5512 leaves the bakery today. Courier will deliver it ASAP."),
    ("Can you deliver on Sunday? Nope, I guess not?", "No Sunday deliveries per our policy. Saturday slots 8-11am."),
]


def profiled_client(engine, tmp_path, profile=BAKERY):
    app = create_app({"TESTING": True, "API_TOKEN": TOKEN, "SETTINGS": {"data_dir": str(tmp_path)}}, engine=engine)
    client = loopback_client(app)
    created = client.post("/v1/profiles", json=profile)
    assert created.status_code == 201, created.get_json()
    assert client.put("/v1/profiles/active", json={"id": created.get_json()["id"]}).status_code == 200
    return client


# --- profiles shape the rewrite (real model) ---------------------------------------------


@pytest.mark.model
@pytest.mark.parametrize("message,draft", AVOIDED_CASES)
def test_avoided_phrases_never_appear_and_their_replacement_does(engine, tmp_path, message, draft):
    client = profiled_client(engine, tmp_path)
    result = client.post("/v1/rewrite", json={"draft": draft, "customer_message": message, "customer_name": "Ana", "agent_name": "Bea"}).get_json()
    reply = result["reply"]
    for rule in BAKERY["avoid"]:
        assert not re.search(rf"\b{re.escape(rule['phrase'])}\b", reply, re.I), (rule, reply)
        if re.search(rf"\b{re.escape(rule['phrase'])}\b", draft, re.I):
            assert rule["instead"].lower() in reply.lower(), (rule, reply)
    assert "crumbcard" not in reply and ("CrumbCard" in reply) == ("crumbcard" in draft.lower())
    assert all(c["ok"] for c in result["checks"]), result["checks"]
    assert reply.startswith("Hello Ana!")
    assert reply.endswith("Warmly,\nBea\nCrumb & Co.")


@pytest.mark.model
def test_without_a_profile_the_built_in_voice_is_used(engine, tmp_path):
    client = profiled_client(engine, tmp_path)
    body = {"draft": "Per our policy, no refunds after 30 days.", "customer_name": "Ana", "agent_name": "Bea", "profile": "none"}
    reply = client.post("/v1/rewrite", json=body).get_json()["reply"]
    assert "per our policy" in reply.lower() and "Crumb & Co." not in reply and reply.startswith("Hi Ana,")


@pytest.mark.model
def test_profile_signoff_without_an_agent_name_drops_the_name_line(engine, tmp_path):
    client = profiled_client(engine, tmp_path)
    reply = client.post("/v1/rewrite", json={"draft": "Cake ready Sat 10am."}).get_json()["reply"]
    assert reply.endswith("Warmly,\nCrumb & Co.") and "{agent}" not in reply and reply.startswith("Hello!")


def long_examples_profile(count: int = 12) -> dict:
    """A team lead's file the server accepts: `count` examples of ~1,990-character drafts
    and ~1,900-character replies (about 3,300 tokens for three of them)."""
    def example(i: int) -> dict:
        draft = " ".join(f"Order {i}-{n} ships Monday from the Leeds depot." for n in range(60))[:1990]
        middle = " ".join(f"Your order {i}-{n} ships on Monday from our Leeds depot." for n in range(60))[:1880]
        return {"draft": draft, "reply": f"Hi Sam,\n\n{middle.rsplit('.', 1)[0]}.\n\nWarmly,\nBea"}

    return {"name": "Long examples", "examples": [example(i) for i in range(count)]}


@pytest.mark.model
def test_a_profile_with_the_longest_examples_keeps_every_rewrite_working(engine, tmp_path):
    app = create_app({"TESTING": True, "API_TOKEN": TOKEN, "SETTINGS": {"data_dir": str(tmp_path)}}, engine=engine)
    client = loopback_client(app)
    imported = client.post("/v1/profiles/import", json=long_examples_profile())
    assert imported.status_code == 201, imported.get_json()
    assert client.put("/v1/profiles/active", json={"id": imported.get_json()["id"]}).status_code == 200
    request = {"draft": "Refund issued. 5-7 business days.", "customer_message": "I was charged twice.", "customer_name": "Ana"}
    response = client.post("/v1/rewrite", json=request)
    assert response.status_code == 200, response.get_json()
    assert "5-7 business days" in response.get_json()["reply"]
    events = client.post("/v1/rewrite/stream", json=request).get_data(as_text=True)
    assert "event: done" in events and "event: error" not in events


@pytest.mark.model
def test_team_examples_are_fitted_to_the_context_shortest_and_newest_first(engine):
    from warmitup.engine import ANSWER_ROOM, FOLLOW_ROOM, TEAM_EXAMPLES_TOKENS

    def example(i: int, length: int) -> dict:
        said = " ".join(f"Order {i}-{n} ships Monday." for n in range(200))
        return {"draft": said[:length], "reply": f"Hi,\n\nThank you. {said[:length]}\n\nBea"}

    # About 650 tokens each: the short one and one of these fit in TEAM_EXAMPLES_TOKENS.
    older, newer = example(0, 900), example(1, 900)
    short = {"draft": "Cake ready Sat 10am.", "reply": "Hi,\n\nThank you for your order. Your cake is ready on Sat at 10am.\n\nBea"}
    team = parse_profile({"name": "x", "examples": [older, short, newer]}).shots()
    message, draft = "Where is my order?", "Order 7 ships Monday. " * 20
    mirror = engine.mirror_prompt(message, tuple(engine.examples) + tuple(team))
    answer = engine.answer_prompt(message, "I understand.", draft, tuple(engine.examples) + tuple(team))
    assert "Cake ready Sat 10am." in mirror and "Order 1-0 ships" in mirror and "Order 0-0 ships" not in mirror
    assert answer.startswith(mirror)  # the answer reads on from the mirror prompt
    n_ctx = engine.llama.n_ctx()
    assert engine.count(mirror) + FOLLOW_ROOM <= n_ctx and engine.count(answer) + ANSWER_ROOM <= n_ctx
    assert engine.count(mirror) - engine.count(engine.mirror_prompt(message, engine.examples)) <= TEAM_EXAMPLES_TOKENS
    # Examples far past the budget (the probe's ~3,900 characters each) are all left out.
    huge = parse_profile(long_examples_profile()).shots()
    assert engine.mirror_prompt(message, tuple(engine.examples) + tuple(huge)) == engine.mirror_prompt(message, engine.examples)


@pytest.mark.model
def test_a_prompt_too_long_for_the_context_gets_no_model_text_not_an_error(engine):
    assert len(engine.llama.tokenize(("Refund issued. " * 1000).encode())) > engine.llama.n_ctx()
    assert engine.complete("Refund issued. " * 1000, max_tokens=8, temperature=0.0, seed=0) == ""


def test_the_shortest_examples_join_the_prompt_the_newest_first():
    def example(name: str, length: int) -> dict:
        return {"draft": name + "." * (length - len(name)), "reply": "Thank you for asking. It is done."}

    voice = parse_profile({"name": "x", "examples": [
        example("e0", 100), example("e1", 300), example("e2", 100), example("e3", 50), example("e4", 100)]})
    assert [draft[:2] for _, draft, _, _ in voice.shots(limit=3)] == ["e2", "e3", "e4"]


def test_profile_examples_join_the_prompt():
    shots = parse_profile(BAKERY).shots()
    assert shots == [(
        "When can I pick up the birthday cake?", "Cake ready Sat 10am.",
        "Thank you for ordering your birthday cake with us.", "Your cake is ready on Sat at 10am.",
    )]


def test_guard_checks_team_rules():
    voice = parse_profile({**BAKERY, "emoji": False})
    ctx = Context("Your CrumbCard has 40 points.", voice=voice)
    reply = "Hello!\n\nYour Crumbcard has 40 points, per our policy 🙂\n\nWarmly,\nCrumb & Co."
    names = {c.name for c in failed(check_reply(reply, ctx))}
    assert {"team_phrases_avoided", "team_words_exact", "no_emoji"} <= names
    fine = "Hello!\n\nYour CrumbCard has 40 points.\n\nWarmly,\nCrumb & Co."
    assert not failed(check_reply(fine, ctx))


def test_phrase_rules_keep_words_whole_and_sentences_capitalised():
    voice = parse_profile({"name": "x", "avoid": [{"phrase": "no", "instead": "not"}, {"phrase": "per our policy", "instead": ""}]})
    assert voice.rewrite_phrases("I know. No refunds, per our policy.") == "I know. Not refunds."
    assert voice.rewrite_phrases("Per our policy, it ships Monday.") == "It ships Monday."


# --- import and export ---------------------------------------------------------------------


def test_export_then_import_round_trips_exactly(deterministic_client, tmp_path):
    created = deterministic_client.post("/v1/profiles", json=BAKERY).get_json()
    exported = deterministic_client.get(f"/v1/profiles/{created['id']}/export")
    assert exported.status_code == 200
    assert "attachment" in exported.headers["Content-Disposition"]
    other = loopback_client(create_app({"TESTING": True, "API_TOKEN": TOKEN, "SETTINGS": {"use_model": False, "data_dir": str(tmp_path / "b")}}))
    imported = other.post("/v1/profiles/import", data=exported.data)
    assert imported.status_code == 201, imported.get_json()
    again = other.get(f"/v1/profiles/{imported.get_json()['id']}/export")
    assert again.data == exported.data
    assert json.loads(again.data) == {"format": "warmitup-profile", "version": 1, **BAKERY}
    # The same file again replaces (a team lead's update), it doesn't duplicate.
    replaced = other.post("/v1/profiles/import", data=exported.data).get_json()
    assert replaced["replaced"] is True and len(other.get("/v1/profiles").get_json()["profiles"]) == 1


@pytest.mark.parametrize("raw,expected", [
    (b"{not json", "not valid JSON: Expecting property name enclosed in double quotes at line 1, column 2"),
    (b"\xff\xfe", "not UTF-8"),
    (b"[1, 2]", "a profile is a JSON object, not a list"),
    (json.dumps({"name": "x", "avoid": "Nope"}).encode(), "avoid: expected a list"),
    (json.dumps({"name": "", "emoji": "yes"}).encode(), "name: required, and empty"),
    (json.dumps({"name": "x", "emoji": "yes"}).encode(), "emoji: expected true or false, found text"),
    (json.dumps({"name": "x", "examples": [{"draft": "a"}]}).encode(), "examples[0].reply: required, and empty"),
    (json.dumps({"name": "x", "greeting": "Hi {name},"}).encode(), "greeting: unknown placeholder(s) {name}; use {customer}"),
    (json.dumps({"name": "x", "version": 9}).encode(), "version: 9 is newer"),
    (json.dumps({"name": "x", "format": "other-app"}).encode(), "format: expected 'warmitup-profile'"),
    (json.dumps({"name": "x", "avoid": [{"phrase": "no", "instead": "no way"}]}).encode(), "contains the phrase it replaces"),
])
def test_a_malformed_import_is_refused_clearly_and_changes_nothing(deterministic_client, tmp_path, raw, expected):
    deterministic_client.post("/v1/profiles", json=BAKERY)
    before = (tmp_path / "profiles.json").read_bytes()
    response = deterministic_client.post("/v1/profiles/import", data=raw)
    assert response.status_code == 400
    message = response.get_json()["error"]["message"]
    assert expected in message, message
    assert (tmp_path / "profiles.json").read_bytes() == before


def test_too_many_rules_are_refused_before_any_rule_is_compared():
    # 2,257 rules, each replacement using the next rule's phrase: comparing them pairwise
    # took 5 s of CPU (and listed 2,256 problems) for a file refused for its length anyway.
    rules = [{"phrase": f"phrase {i}", "instead": f"phrase {i + 1} instead"} for i in range(2257)]
    with pytest.raises(ProfileError) as caught:
        parse_profile({"name": "x", "avoid": rules, "examples": [{"draft": 1}] * 13})
    assert caught.value.problems == ["avoid: at most 50, found 2257", "examples: at most 12, found 13"]


def test_every_problem_is_listed_at_once():
    with pytest.raises(ProfileError) as caught:
        parse_profile({"name": "", "colour": "red", "emoji": 1, "avoid": [{"phrase": 3}], "keep_words": [""]})
    problems = caught.value.problems
    assert len(problems) == 5, problems
    assert problems[0].startswith("unknown field(s): colour")


def test_names_are_unique_and_unknown_profiles_are_404(deterministic_client):
    assert deterministic_client.post("/v1/profiles", json=BAKERY).status_code == 201
    again = deterministic_client.post("/v1/profiles", json=BAKERY)
    assert again.status_code == 400 and "exists already" in again.get_json()["error"]["message"]
    assert deterministic_client.get("/v1/profiles/99").status_code == 404
    response = deterministic_client.post("/v1/rewrite", json={"draft": "Hi.", "profile": 99})
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "unknown_profile"


# --- history ---------------------------------------------------------------------------


def snapshot(folder):
    return {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in folder.iterdir()}


def test_history_is_off_by_default_and_writes_nothing(deterministic_client, tmp_path):
    deterministic_client.post("/v1/profiles", json=BAKERY)
    before = snapshot(tmp_path)
    for draft in ("Refund issued. 5-7 days.", "Nope, per our policy."):
        result = deterministic_client.post("/v1/rewrite", json={"draft": draft, "customer_message": "my secret order"}).get_json()
        assert "history_id" not in result
    assert snapshot(tmp_path) == before  # no file created, none touched
    assert not (tmp_path / "history.json").exists()
    assert deterministic_client.get("/v1/history").get_json()["entries"] == []


def test_history_on_keeps_rewrites_outcomes_and_examples(deterministic_client, tmp_path):
    profile = deterministic_client.post("/v1/profiles", json={"name": "Plain"}).get_json()
    deterministic_client.put("/v1/history/settings", json={"enabled": True})
    result = deterministic_client.post("/v1/rewrite", json={"draft": "Refund issued. 5-7 days.", "customer_message": "Charged twice."}).get_json()
    entry_id = result["history_id"]
    assert deterministic_client.post(f"/v1/history/{entry_id}/example", json={"profile": profile["id"]}).status_code == 400  # not kept yet
    kept = deterministic_client.post(f"/v1/history/{entry_id}/outcome", json={"outcome": "edited", "final": "Edited reply."}).get_json()
    assert kept["outcome"] == "edited" and kept["final"] == "Edited reply."
    updated = deterministic_client.post(f"/v1/history/{entry_id}/example", json={"profile": profile["id"]}).get_json()
    assert updated["examples"] == [{"draft": "Refund issued. 5-7 days.", "reply": "Edited reply.", "customer_message": "Charged twice."}]
    assert deterministic_client.delete("/v1/history").get_json() == {"removed": 1}
    assert deterministic_client.get("/v1/history").get_json()["entries"] == []
    assert deterministic_client.post(f"/v1/history/{entry_id}/outcome", json={"outcome": "kept"}).status_code == 404
    bad = deterministic_client.put("/v1/history/settings", json={"retention_days": 0, "enabled": "yes"})
    assert bad.status_code == 400 and len(bad.get_json()["error"]["problems"]) == 2


def test_clearing_history_leaves_no_copy_of_its_text(deterministic_client, tmp_path):
    deterministic_client.put("/v1/history/settings", json={"enabled": True})
    deterministic_client.post("/v1/rewrite", json={"draft": "Order Quokka-5521 shipped."})
    # A mangled history file is set aside, text and all, and a new one started.
    history = tmp_path / "history.json"
    history.write_bytes(history.read_bytes()[:-20])
    assert deterministic_client.get("/v1/history").get_json()["entries"] == []
    assert list(tmp_path.glob("history.json.corrupt-*"))
    (tmp_path / ".history.json.x1y2.tmp").write_text("Quokka-6613, half written when the power went")
    deterministic_client.post("/v1/rewrite", json={"draft": "Ticket Quokka-7731 closed."})
    assert deterministic_client.delete("/v1/history").get_json() == {"removed": 1}
    for path in tmp_path.rglob("*"):
        assert not path.is_file() or b"Quokka" not in path.read_bytes(), path


def test_retention_removes_old_entries_by_age_and_count(tmp_path):
    now = [1_000_000.0]
    store = TeamStore(tmp_path, clock=lambda: now[0])
    store.set_history_settings({"enabled": True, "retention_days": 7, "retention_count": 3})
    for day in range(6):
        store.record({"draft": f"draft {day}", "reply": "r"})
        now[0] += 86400
    assert [e["draft"] for e in store.history()] == ["draft 5", "draft 4", "draft 3"]  # count
    now[0] += 5 * 86400  # draft 3 is now 8 days old, draft 5 six
    assert [e["draft"] for e in store.history()] == ["draft 5", "draft 4"]  # age
    on_disk = json.loads((tmp_path / "history.json").read_text())["history"]
    assert sorted(e["draft"] for e in on_disk.values()) == ["draft 4", "draft 5"]


PROFILE_WRITER = """
import sys, pathlib
from warmitup.teamstore import TeamStore
store = TeamStore(pathlib.Path(sys.argv[1]))
store.set_history_settings({"enabled": True, "retention_count": 10000})
i = 0
while True:
    store.create({"name": f"team {i}", "greeting": "Hi {customer},", "examples": [{"draft": "d" * 500, "reply": "r" * 500}]})
    store.record({"draft": f"draft {i}", "reply": "x" * 500})
    print(i, flush=True)
    i += 1
"""


def test_the_team_store_survives_a_crash_mid_write(tmp_path):
    acknowledged = kill_mid_write(PROFILE_WRITER, str(tmp_path), after=40)
    store = TeamStore(tmp_path)
    names = {p["name"] for p in store.profiles()}
    assert {f"team {i}" for i in range(acknowledged + 1)} <= names
    drafts = {e["draft"] for e in store.history()}
    assert {f"draft {i}" for i in range(acknowledged + 1)} <= drafts
    assert store.store.set_aside_as is None


# --- the page's safety -------------------------------------------------------------------


def test_the_page_needs_a_one_time_code(deterministic_app):
    browser = loopback_client(deterministic_app, token=False)
    first = browser.get("/")
    assert first.status_code == 401 and b"warmitup open" in first.data
    assert first.headers["X-Frame-Options"] == "DENY" and "frame-ancestors 'none'" in first.headers["Content-Security-Policy"]
    assert browser.get("/open?code=guess").status_code == 403
    assert browser.post("/v1/page/codes").status_code == 401  # only the token holder mints codes

    code = loopback_client(deterministic_app).post("/v1/page/codes").get_json()["code"]
    opened = browser.get(f"/open?code={code}")
    assert opened.status_code == 303 and opened.headers["Location"] == "/"
    cookie = opened.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    assert browser.get("/").status_code == 200
    assert browser.get("/v1/profiles").status_code == 200  # the cookie stands in for the token
    own = {"Origin": "http://127.0.0.1:8787", "Sec-Fetch-Site": "same-origin"}
    assert browser.post("/v1/profiles", json={"name": "From the page"}, headers=own).status_code == 201
    # Another page, even with the cookie somehow attached, is refused by its Origin.
    evil = browser.post("/v1/profiles", json={"name": "x"}, headers={"Origin": "https://evil.example"})
    assert evil.status_code == 403
    assert browser.post("/v1/page/codes", headers=own).status_code == 401  # a session can't mint more
    # A code works once.
    other = loopback_client(deterministic_app, token=False)
    assert other.get(f"/open?code={code}").status_code == 403
    browser.post("/page/logout", headers=own)
    assert browser.get("/v1/profiles").status_code == 401
