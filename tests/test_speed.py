"""What makes the rewrite path fast, checked by behaviour (token counts), never by the clock."""

import json

import numpy as np
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


def test_the_default_model_has_the_adapter_merged_not_applied_per_token(engine):
    """Our adapter is merged into the default model's weights at set-up: no LoRA runs per
    token. Only the matrices it adapts differ from the base (in Q8_0); everything else, the
    tied output matrix that costs most per token included, is the base's, byte for byte.
    `scripts/bench` measures the speed this buys (its generation-speed table)."""
    import gguf

    from warmitup.models import default_models_dir, load_catalogue

    assert engine.info.merged and not engine.info.adapter and engine.llama.lora_path is None
    assert engine.examples == ()  # the adapter learnt the job: no examples in the prompt
    default, entries = load_catalogue()
    base = {t.name: t for t in gguf.GGUFReader(default_models_dir() / entries[default].file).tensors}
    adapted = {t.name.rsplit(".lora_", 1)[0] for t in gguf.GGUFReader(engine.info.merged).tensors}
    merged = gguf.GGUFReader(engine.info.path).tensors
    assert [t.name for t in merged] == list(base) and "token_embd.weight" in base
    for tensor in merged:
        before = base[tensor.name]
        if tensor.name in adapted:
            assert tensor.tensor_type == gguf.GGMLQuantizationType.Q8_0 and list(tensor.shape) == list(before.shape)
        else:
            assert tensor.tensor_type == before.tensor_type and np.array_equal(tensor.data, before.data), tensor.name


def test_the_benchmark_runs_end_to_end(tmp_path):
    rows = read_jsonl(default_cases_path())[:2]
    summary = run({"two.jsonl": rows}, tmp_path / "out", rounds=1, warmup=1, speed_rounds=1)
    bench = summary["sets"]["two.jsonl"]
    assert set(bench["systems"]) == {"raw", "peer", "ours", "ours_stream"}
    assert all(v["p50_s"] > 0 for v in bench["systems"].values())
    # Same weights, same recorded calls and sampling: every system gives back the same text.
    assert bench["same_completions"] == {"raw": 2, "peer": 2, "ours": 2, "all": 2}
    assert bench["prompt_tokens_evaluated_per_request"] < bench["prompt_tokens_per_request"]
    assert summary["weights"].startswith("gemma-3-270m-warm-merged.gguf")
    assert set(summary["generation"]["tokens_per_s"]) == {"served", "base", "base + adapter at run time"}
    assert summary["generation"]["tokens"] == 64 and summary["generation"]["ratio"] > 0
    assert set(bench["targets"]) == {"ours_to_raw_p50", "ours_to_peer_p50", "ttft_p50_s", "same_completions"}
    assert bench["targets"]["same_completions"]["met"] is True
    assert set(summary["targets"]) == {"cold_start_ours_s", "generation_ratio"}
    text = (tmp_path / "out" / "bench.md").read_text()
    assert text.startswith("# Benchmark") and "same weights" in text and "| 2/2 |" in text
    assert json.loads((tmp_path / "out" / "bench.json").read_text())["sets"]["two.jsonl"]["cases"] == 2
