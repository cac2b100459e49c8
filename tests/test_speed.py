"""What makes the rewrite path fast, checked by behaviour (token counts), never by the clock."""

import json

import pytest

from warmitup.bench import run
from warmitup.evaluate import default_cases_path
from warmitup import prompts
from warmitup.pipeline import Rewriter, RewriteRequest

from conftest import read_jsonl

pytestmark = pytest.mark.model


def test_the_fixed_prefix_is_processed_once_not_per_request(engine):
    rewriter = Rewriter(engine)
    engine.warm_up()
    first = rewriter.rewrite(RewriteRequest("Refund issued. 5-7 business days.", "I was charged twice.", "Pat", "Lee"))
    other = rewriter.rewrite(RewriteRequest("No pets.", "Can I bring my dog to the hotel?", "Lena", "Tim"))
    # The instructions (and examples, for a model without our adapter) before the first "Customer:".
    fixed = len(engine.llama.tokenize(prompts.completion_prefix("", engine.examples).rsplit("Customer:", 1)[0].encode()))
    assert fixed > 50
    for result in (first, other):
        asked, evaluated = result.tokens["prompt_tokens"], result.tokens["prompt_tokens_evaluated"]
        calls = 2  # at least a mirror and an answer, each reusing the fixed part (and the answer the mirror's prompt)
        assert asked - evaluated >= calls * fixed, result.tokens  # only the request's own text is new


def test_the_benchmark_runs_end_to_end(tmp_path):
    cases = tmp_path / "cases.jsonl"
    rows = read_jsonl(default_cases_path())[:2]
    cases.write_text("".join(json.dumps(r) + "\n" for r in rows))
    summary = run(rows, tmp_path / "out", rounds=1)
    assert set(summary["systems"]) == {"raw", "peer", "ours", "ours_stream"}
    assert all(v["p50_s"] > 0 for v in summary["systems"].values())
    assert summary["prompt_tokens_evaluated_per_request"] < summary["prompt_tokens_per_request"]
    assert (tmp_path / "out" / "bench.md").read_text().startswith("# Benchmark")
    assert json.loads((tmp_path / "out" / "bench.json").read_text())["cases"] == 2
