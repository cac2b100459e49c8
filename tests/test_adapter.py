"""The adapter: its training data obeys the guard, and train -> export -> llama.cpp works."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT, catalogue_path
from warmitup import compose
from warmitup.guard import Context, check_reply, check_segment, failed
from warmitup.models import ModelError

TRAINING = ROOT / "models" / "training"
DEV_CASES = ROOT.parent / "shared" / "dev-cases.jsonl"


def rows(name: str) -> list[dict]:
    return [json.loads(line) for line in (TRAINING / name).read_text().splitlines() if line.strip()]


@pytest.fixture(scope="module")
def dataset():
    return {"train": rows("train.jsonl"), "valid": rows("valid.jsonl")}


def test_dataset_is_large_varied_and_split(dataset):
    train, valid = dataset["train"], dataset["valid"]
    assert len(train) + len(valid) >= 600 and len(valid) >= 50
    keys = [(r["customer_message"], r["draft"]) for r in train + valid]
    assert len(keys) == len(set(keys)), "two examples alike"
    assert not {(r["customer_message"], r["draft"]) for r in valid} & {(r["customer_message"], r["draft"]) for r in train}
    assert {r["tone"] for r in train} == set(compose.TONES)
    assert len({r["family"] for r in train}) >= 25
    assert any(not r["customer_name"] for r in train) and any(not r["agent_name"] for r in train)
    if DEV_CASES.exists():  # beside the project on the development machines
        dev = [json.loads(line) for line in DEV_CASES.read_text().splitlines() if line.strip()]
        assert not {c["draft"] for c in dev} & {r["draft"] for r in train + valid}
        assert not {c.get("customer_message") for c in dev} & {r["customer_message"] for r in train + valid}


# The shipped adapter's data predates the meaning checks (reading.py): this many of its 1,566
# examples have a mirror or an answer those checks now turn down (measured 2026-11-23: 424 with
# session 6's checks, 385 mirrors and 45 answers; 475 with session 7's, which added their
# "your", vague pronouns, comma splices, "No X." made "There is no X", "It was done"). The next
# dataset is generated with them and brings this to 0; until then it may only go down, except
# by a new check, which raises it by what it finds (said in the commit). 494 since session 9's
# relation check: 19 rows of one family had "even though" mirrors (the generator no longer
# writes them); 512 with its "but" check: 18 rows of one family mirrored both sides of the
# customer's "but" in one sentence (the generator now mirrors one).
# 524 with session 12's progressive-over-time check: 12 mirrors of three families said "you're
# getting 504 since 9am" / "customers are complaining ... since the deploy" ("have been").
MEANING_DEBT = 524
MEANING_CHECKS = {"reads_right", "meaning_kept"}


def test_every_example_passes_the_guard(dataset):
    debt = 0
    for row in dataset["train"] + dataset["valid"]:
        ctx = Context(row["draft"], row["customer_message"], row["customer_name"], row["agent_name"])
        problems = {c.name for c in failed(check_segment(row["mirror"], "mirror", ctx))}
        problems |= {c.name for c in failed(check_segment(row["answer"], "body", ctx))}
        assert not problems - MEANING_CHECKS, (problems, row)
        assert not failed(check_reply(row["reply"], ctx, row["mirror"])), row
        plan = compose.plan(ctx, row["tone"])
        assert row["reply"].startswith(plan.greeting) and row["reply"].endswith(plan.signoff)
        debt += bool(problems)
    assert debt <= MEANING_DEBT, f"{debt} examples now fail the meaning checks (was {MEANING_DEBT})"


@pytest.mark.model
def test_train_export_and_llama_cpp_generates(tmp_path):
    from warmitup.adapter import TrainConfig, export, train

    catalogue_path("smollm2-135m-instruct")
    run = tmp_path / "run"
    final = train(TrainConfig(base="smollm2-135m-instruct", out=run, limit=4, batch=2, max_steps=2, checkpoint_every=1, threads=2))
    summary = json.loads((run / "summary.json").read_text())
    assert summary["steps"] == 2 and summary["examples"] == 4 and (final / "adapter_model.safetensors").exists()
    import torch

    from warmitup.adapter import pick_device

    assert summary["device"] == ("cuda" if torch.cuda.is_available() else "cpu")
    if not torch.cuda.is_available():
        with pytest.raises(SystemExit, match="no CUDA GPU"):
            pick_device("cuda")

    # Resuming from the checkpoint goes on from step 2, not from the start.
    train(TrainConfig(base="smollm2-135m-instruct", out=run, limit=4, batch=2, max_steps=3, checkpoint_every=1, threads=2, resume=True))
    assert json.loads((run / "summary.json").read_text())["steps"] == 3

    gguf = export(run, tmp_path / "adapters" / "adapter.gguf")
    assert gguf.read_bytes()[:4] == b"GGUF"

    # Recording it makes it the base's default in a catalogue, with its hashes and figures.
    from warmitup.adapter import record, sha256

    catalogue = tmp_path / "catalogue.json"
    catalogue.write_text((ROOT / "models" / "catalogue.json").read_text())
    figures = tmp_path / "figures.json"
    figures.write_text(json.dumps({"cases": 1, "model_text_untouched": 1.0}))
    record(run, gguf, {"trial": figures}, catalogue=catalogue)
    entry = json.loads(catalogue.read_text())["models"]["smollm2-135m-instruct"]["adapter"]
    assert entry["file"] == "adapters/adapter.gguf" and entry["sha256"] == sha256(gguf) and entry["size"] == gguf.stat().st_size
    assert entry["training"]["steps"] == 3 and entry["eval"]["trial"]["cases"] == 1
    assert entry["dataset_sha256"] == summary["dataset_sha256"]
    # ...and merges it into the base's weights beside the catalogue, pinned by sha256.
    merged = tmp_path / "adapter-merged.gguf"
    assert entry["merged"]["file"] == merged.name and entry["merged"]["sha256"] == sha256(merged)
    assert entry["merged"]["size"] == merged.stat().st_size

    from warmitup.engine import load_engine
    from warmitup.settings import Settings

    engine = load_engine(Settings(model="smollm2-135m-instruct", adapter=str(gguf)))
    assert engine.info.adapter == str(gguf) and engine.examples == ()
    text = engine.complete(engine.mirror_prompt("My parcel is late.", engine.examples), max_tokens=12, temperature=0.0, seed=1)
    assert text.strip()


def test_a_missing_adapter_is_an_error_not_a_crash(tmp_path):
    from warmitup.engine import load_engine
    from warmitup.settings import Settings

    catalogue_path()
    with pytest.raises(ModelError, match="does not exist"):
        load_engine(Settings(adapter=str(tmp_path / "nope.gguf")))
