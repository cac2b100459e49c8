"""The pipeline: whatever the model writes, what reaches the user keeps every fact."""

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from warmitup.evaluate import default_cases_path
from warmitup.guard import Context, check_reply, failed
from warmitup.pipeline import InputError, Rewriter, RewriteRequest

from conftest import read_jsonl

CASES = read_jsonl(default_cases_path())


class HostileEngine:
    """Writes what the notes say small models write: invented facts, promises, leaks."""

    chat = False

    def __init__(self, outputs):
        self.outputs = outputs
        self.calls = 0

    def mirror_prompt(self, message, examples=()):
        return "mirror:" + message

    def answer_prompt(self, message, mirror, draft, examples=()):
        return "answer:" + draft

    def complete(self, prompt, **kwargs):
        self.calls += 1
        return self.outputs[(self.calls - 1) % len(self.outputs)]


HOSTILE = [
    " I've refunded your order and added a $20 credit, call 555-9999.",
    " Here is the rewritten reply: [Customer Name], we're so happy to help!",
    " Your order has been cancelled and will be resold. Your order has been cancelled and will be resold.",
    " I'm sorry for the inconvenience you've caused.",
]


def assert_safe(result, case):
    """Checked again here, independently of the pipeline's own verdict."""
    reply = result.reply
    ctx = Context(case["draft"], case.get("customer_message", ""), case.get("customer_name", ""), case.get("agent_name", ""))
    assert not failed(check_reply(reply, ctx, result.parts.get("mirror", "")))
    assert all(c["ok"] for c in result.checks)
    for fact in case.get("must_keep", []):
        assert fact.lower() in reply.lower(), fact


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_hostile_model_output_never_reaches_the_user(case):
    engine = HostileEngine(HOSTILE)
    result = Rewriter(engine, mirror_samples=3).rewrite(RewriteRequest.from_case(case))
    assert engine.calls >= 1 or not case.get("customer_message")
    assert_safe(result, case)
    for bad in ("$20", "555-9999", "resold", "[Customer Name]", "you've caused", "Here is"):
        assert bad not in result.reply
    assert result.path["mirror"] != "model" and result.path["body"] != "model"
    assert result.model_share == 0


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_deterministic_reply_is_warm_and_safe(case):
    result = Rewriter(None).rewrite(RewriteRequest.from_case(case))
    assert_safe(result, case)
    first_line = result.reply.splitlines()[0]
    assert first_line.startswith(("Hi", "Hello", "Dear"))


def test_a_passing_model_sentence_is_used_and_reported():
    case = {"draft": "Area outage. Fix expected 6pm.", "customer_message": "I've been on hold for an hour and my internet is down.",
            "customer_name": "Taylor", "agent_name": "Ren"}
    engine = HostileEngine([" I'm so sorry you've been on hold for an hour while your internet is down.",
                            " There is an area outage, and the fix is expected 6pm."])
    result = Rewriter(engine, mirror_samples=1).rewrite(RewriteRequest.from_case(case))
    assert "on hold for an hour while your internet is down" in result.reply
    assert "the fix is expected 6pm" in result.reply
    assert result.path["mirror"] == "model" and result.path["body"] == "model"
    assert 0 < result.model_share < 1
    assert_safe(result, case)


def test_a_vague_model_mirror_makes_way_for_the_next_sample():
    case = {"draft": "Replacement ships Monday.", "customer_message": "My blender arrived with a cracked jug and the lid is missing.",
            "customer_name": "Omar", "agent_name": "Kim"}
    engine = HostileEngine([" I'm so sorry to hear about your blender.", " I'm sorry your blender arrived with a cracked jug.",
                            " A replacement ships Monday."])
    result = Rewriter(engine, mirror_samples=3).rewrite(RewriteRequest.from_case(case))
    assert "I'm sorry your blender arrived with a cracked jug." in result.reply
    assert result.path["mirror"] == "model"
    assert any(r["text"] == "I'm so sorry to hear about your blender." and "less_specific" in r["failed"] for r in result.path["rejected"])
    # With one sample only, the vague sentence gives way to the customer's own words instead.
    engine = HostileEngine([" I'm so sorry to hear about your blender.", " A replacement ships Monday."])
    result = Rewriter(engine, mirror_samples=1).rewrite(RewriteRequest.from_case(case))
    assert result.path["mirror"] == "fallback" and "I'm so sorry to hear about your blender." not in result.reply
    assert_safe(result, case)


class CountingEngine(HostileEngine):
    """Counts generated tokens (a word each) as the real engine does in `counters`."""

    def __init__(self, outputs):
        super().__init__(outputs)
        self.counters = {"prompt_tokens": 0, "prompt_tokens_evaluated": 0, "completion_tokens": 0}

    def complete(self, prompt, **kwargs):
        text = super().complete(prompt, **kwargs)
        self.counters["completion_tokens"] += len(text.split())
        return text


def test_no_sample_is_tried_once_the_reply_has_spent_its_generation_budget(monkeypatch):
    import warmitup.pipeline as pipeline

    case = {"draft": "Area outage. Fix expected 6pm.", "customer_message": "My internet has been down all day.",
            "customer_name": "Taylor", "agent_name": "Ren"}
    wordy = [" I've refunded your order and added a $20 credit to it, sorry."]  # 12 words, fails
    engine = CountingEngine(wordy)
    Rewriter(engine, mirror_samples=3, body_samples=3).rewrite(RewriteRequest.from_case(case))
    assert engine.calls == 6  # every sample fails; within the budget, all are tried
    monkeypatch.setattr(pipeline, "GENERATION_BUDGET", 20)
    engine = CountingEngine(wordy)
    result = Rewriter(engine, mirror_samples=3, body_samples=3).rewrite(RewriteRequest.from_case(case))
    assert engine.calls == 3  # two mirrors spent the budget: no third, and one body (the first is always tried)
    assert {"part": "mirror", "text": "", "failed": ["generation_budget"]} in result.path["rejected"]
    assert {"part": "body", "text": "", "failed": ["generation_budget"]} in result.path["rejected"]
    assert_safe(result, case)


def test_tones_differ():
    case = {"draft": "Invoice INV-7781 sent today.", "customer_message": "I have not received the invoice.",
            "customer_name": "Kim", "agent_name": "Helen"}
    replies = {t: Rewriter(None).rewrite(RewriteRequest.from_case({**case, "tone": t})).reply for t in ("warm", "formal-warm", "brief-warm")}
    assert replies["formal-warm"].startswith("Dear Kim,") and "Kind regards" in replies["formal-warm"]
    assert replies["warm"].startswith("Hi Kim,")
    assert len(replies["brief-warm"]) < len(replies["warm"])


def test_a_draft_that_greets_is_not_greeted_twice():
    reply = Rewriter(None).rewrite(RewriteRequest("Hi {{ticket.requester.first_name}}, done. New address on order {{ticket.external_id}}.")).reply
    assert reply.startswith("Hi {{ticket.requester.first_name}},")
    assert reply.count("Hi ") == 1


@pytest.mark.parametrize(
    "request_fields, message",
    [
        ({"draft": ""}, "empty"),
        ({"draft": "   \n\t "}, "empty"),
        ({"draft": "x" * 5000}, "limit is 4000"),
        ({"draft": "ok", "tone": "sarcastic"}, "unknown tone"),
        ({"draft": 5}, "must be a string"),
        ({"draft": "a\x00b"}, "NUL"),
    ],
)
def test_bad_requests_are_refused_with_a_reason(request_fields, message):
    with pytest.raises(InputError, match=message):
        RewriteRequest(**request_fields).validate()


fact_token = st.sampled_from([
    "$249", "€12.50", "3/14", "2024-03-14", "Nov 6", "10:00 AM PT", "6pm", "1-3 PM", "5-7 business days", "2.4.1",
    "INV-2024-0311", "#77120", "555-0110", "https://example.com/a.", "help@example.org", "{{ticket.id}}",
    "Settings > Account > Export", "Tuesday", "can't", "No", "only", "non-refundable", "4x AA", "600", "1,200",
])
plain_word = st.sampled_from(["order", "shipped", "refund", "issued", "call", "visit", "branch", "price", "is", "the", "then", "use"])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(fact_token, plain_word), min_size=1, max_size=14), st.sampled_from(["warm", "formal-warm", "brief-warm"]))
@example(["order", "No"], "warm")  # "order No." is not "order number": the "No" may be the answer
@example(["order", "No", "https://example.com/a.", "$249"], "warm")  # nor "order No <link>": "The order number is" would lose it
def test_any_draft_keeps_all_its_facts(tokens, tone):
    draft = " ".join(tokens) + "."
    result = Rewriter(None).rewrite(RewriteRequest(draft, "My order is late and I'm upset.", "Jo", "Al", tone))
    ctx = Context(draft, "My order is late and I'm upset.", "Jo", "Al")
    assert not failed(check_reply(result.reply, ctx)), result.checks


@pytest.mark.model
def test_real_model_on_the_shipped_cases(engine):
    """The embedded model in the loop: every reply passes every check and keeps every must-keep fact."""
    rewriter = Rewriter(engine)
    for case in CASES:
        assert_safe(rewriter.rewrite(RewriteRequest.from_case(case)), case)


@pytest.mark.model
def test_chat_template_model_by_path(chat_engine):
    assert chat_engine.info.prompt == "chat" and not chat_engine.info.catalogue
    rewriter = Rewriter(chat_engine)
    for case in CASES[:8]:
        assert_safe(rewriter.rewrite(RewriteRequest.from_case(case)), case)


@pytest.mark.parametrize("fallback, needed", [(0, 0), (1, 1), (2, 1), (3, 2), (4, 2), (5, 3), (8, 4)])
def test_a_model_mirror_must_name_half_of_what_the_fallback_names(fallback, needed):
    from warmitup.pipeline import specific_enough

    assert specific_enough(fallback) == needed


def test_a_draft_for_a_colleague_is_passed_on_without_a_mirror_even_when_the_model_writes_one():
    engine = HostileEngine([" I'm sorry the export button crashes the app."])
    result = Rewriter(engine).rewrite(RewriteRequest(
        draft="@sam can you take this one? Repro confirmed on 2.4.", customer_message="The export button crashes the app.",
        customer_name="lucia", agent_name="Ben"))
    assert result.reply.startswith("Hi @sam,\n\nCan you take this one? Repro confirmed on 2.4.\n\n")
    assert "crashes" not in result.reply and result.parts["mirror"] == ""


def test_a_bare_no_follows_the_question_it_answers():
    """"I'm afraid not. UK only." after "I understand you'd like to order the green teapot."
    reads as no teapot: a draft that opens with a bare yes or no gets the mirror that restates
    their question, ahead of a model mirror that names something else."""
    case = {"draft": "No. UK only.", "customer_message": "Do you deliver to Ireland? I'd love to order the green teapot.",
            "customer_name": "Aoife", "agent_name": "Tom"}
    engine = HostileEngine([" I understand you'd like to order the green teapot."])
    result = Rewriter(engine, mirror_samples=1, body_samples=0).rewrite(RewriteRequest.from_case(case))
    assert "whether we deliver to Ireland. I'm afraid not. UK only." in result.reply, result.reply
    assert result.path["mirror"] == "fallback"
    assert_safe(result, case)


def test_a_week_typed_short_is_the_same_week_and_the_reply_keeps_its_closing():
    from warmitup.pipeline import Rewriter, RewriteRequest
    result = Rewriter(None).rewrite(RewriteRequest(draft="Fixed on main, release in 3.1 next wk.", customer_message="Is this a known bug?",
                                                   customer_name="Ana", agent_name="Jo"))
    assert "next week" in result.reply
    assert result.path.get("frame") != "minimal"
