"""Teaching the embedded model this job: a LoRA adapter trained on models/training/.

    warmitup train  [--base gemma-3-270m] [--epochs 2] [--resume] [--limit N] [--out DIR]
    warmitup export DIR/adapter --out models/adapters/NAME.gguf

The base loads from its GGUF with transformers (de-quantized), peft adds LoRA on every
projection, and the loss is on the tokens the model writes in the server's own prompt (the
mirror after "Empathy:", the answer after "Reply:"), nothing else. Logits are computed only
where the loss needs them: Gemma's 262k-word output layer is most of the cost otherwise.
Seeded; a checkpoint every few steps, so an interrupted run picks up where it stopped.
Needs the [train] extra (torch, transformers, peft, gguf).
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import shutil
import subprocess
import sys
import tarfile
import time
from dataclasses import dataclass
from pathlib import Path

from . import prompts
from .models import default_models_dir, load_catalogue
from .progress import Progress

TRAINING = Path(__file__).resolve().parents[2] / "models" / "training"
TARGETS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
LLAMA_CPP_SDIST = "llama-cpp-python==0.3.36"


@dataclass
class TrainConfig:
    base: str = "gemma-3-270m"
    train_file: Path = TRAINING / "train.jsonl"
    out: Path = TRAINING / "run"
    epochs: float = 2.0
    batch: int = 8
    lr: float = 3e-4
    rank: int = 16
    alpha: int = 32
    max_tokens: int = 256
    seed: int = 7
    limit: int = 0  # first N examples only (tests, trials)
    max_steps: int = 0  # stop after N steps (tests, trials)
    checkpoint_every: int = 10
    threads: int = 0
    resume: bool = False
    device: str = "auto"  # "auto": a CUDA GPU when torch sees one, else the CPU


def dataset_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def segments(row: dict) -> list[tuple[str, bool]]:
    """The server's prompt for one example as (text, learn) pieces: the prompt is read,
    the mirror and the answer (each with the newline that ends it) are learnt."""
    prefix = prompts.completion_prefix(row["customer_message"], examples=())
    pieces = [(prefix, False), (" " + row["mirror"] + "\n", True)]
    pieces.append((f"Draft: {prompts._clip(row['draft'], 1500)}\nReply:", False))
    # The server asks the model for one line; a listed answer stays the draft's own.
    pieces.append((" " + row["answer"] + "\n", "\n" not in row["answer"]))
    return pieces


def encode(tokenizer, row: dict, max_tokens: int) -> tuple[list[int], list[int]]:
    ids, labels = [], []
    for i, (text, learn) in enumerate(segments(row)):
        piece = tokenizer(text, add_special_tokens=(i == 0))["input_ids"]
        ids += piece
        labels += piece if learn else [-100] * len(piece)
    return ids[:max_tokens], labels[:max_tokens]


def load_base(name: str, threads: int = 0):
    """(model, tokenizer, base GGUF path) for a catalogue model, de-quantized for training."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    if threads:
        torch.set_num_threads(threads)
    models_dir = default_models_dir()
    _, entries = load_catalogue(models_dir)
    if name not in entries:
        raise SystemExit(f"unknown base {name!r}: use one of {', '.join(entries)}")
    entry = entries[name]
    path = models_dir / entry.file
    if not path.exists():
        raise SystemExit(f"{path} is missing: run scripts/setup --all-models")
    tokenizer = AutoTokenizer.from_pretrained(str(models_dir), gguf_file=entry.file)
    model = AutoModelForCausalLM.from_pretrained(str(models_dir), gguf_file=entry.file, dtype=torch.float32)
    return model, tokenizer, path


def pick_device(wanted: str = "auto") -> str:
    """"cuda" when asked for or when torch sees a GPU (auto), else "cpu"."""
    import torch

    if wanted == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if wanted == "cuda" and not torch.cuda.is_available():
        raise SystemExit("--device cuda: torch sees no CUDA GPU here (the CPU build of torch never does)")
    return wanted


def _loss(model, batch_ids, batch_labels, pad_id):
    """Cross-entropy on the learnt tokens only, with the output layer run only there."""
    import torch

    width = max(len(ids) for ids in batch_ids)
    ids = torch.full((len(batch_ids), width), pad_id, dtype=torch.long)
    labels = torch.full((len(batch_ids), width), -100, dtype=torch.long)
    mask = torch.zeros((len(batch_ids), width), dtype=torch.long)
    for i, (row_ids, row_labels) in enumerate(zip(batch_ids, batch_labels)):
        ids[i, : len(row_ids)] = torch.tensor(row_ids)
        labels[i, : len(row_labels)] = torch.tensor(row_labels)
        mask[i, : len(row_ids)] = 1
    device = next(model.parameters()).device
    ids, labels, mask = ids.to(device), labels.to(device), mask.to(device)
    causal = model.get_base_model()
    hidden = causal.model(input_ids=ids, attention_mask=mask).last_hidden_state
    # Position t predicts token t+1.
    targets = labels[:, 1:]
    where = targets != -100
    logits = causal.lm_head(hidden[:, :-1][where])
    softcap = getattr(causal.config, "final_logit_softcapping", None)
    if softcap:
        logits = torch.tanh(logits / softcap) * softcap
    return torch.nn.functional.cross_entropy(logits.float(), targets[where]), int(where.sum())


def train(config: TrainConfig) -> Path:
    """Train (or resume) and return the folder holding the finished adapter."""
    import torch
    from peft import LoraConfig, PeftModel, get_peft_model

    random.seed(config.seed)
    torch.manual_seed(config.seed)
    rows = read_rows(config.train_file)
    if config.limit:
        rows = rows[: config.limit]
    model, tokenizer, base_path = load_base(config.base, config.threads)
    device = pick_device(config.device)
    model.to(device)
    pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
    encoded = [encode(tokenizer, row, config.max_tokens) for row in rows]

    out = Path(config.out)
    checkpoint = out / "checkpoint"
    state_file = checkpoint / "state.pt"
    if config.resume and state_file.exists():
        model = PeftModel.from_pretrained(model, str(checkpoint), is_trainable=True).to(device)
    else:
        lora = LoraConfig(r=config.rank, lora_alpha=config.alpha, lora_dropout=0.05, target_modules=TARGETS, task_type="CAUSAL_LM")
        model = get_peft_model(model, lora).to(device)
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=config.lr, weight_decay=0.0)

    steps_per_epoch = math.ceil(len(encoded) / config.batch)
    total = max(1, int(steps_per_epoch * config.epochs))
    if config.max_steps:
        total = min(total, config.max_steps)
    step, order, losses = 0, [], []
    if config.resume and state_file.exists():
        state = torch.load(state_file, weights_only=False, map_location="cpu")
        optimizer.load_state_dict(state["optimizer"])
        step, order, losses = state["step"], state["order"], state["losses"]
        random.setstate(state["python_rng"])
        torch.set_rng_state(state["torch_rng"])
        print(f"resuming at step {step} of {total}", file=sys.stderr)
    print(f"training on {device}", file=sys.stderr)
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min(1.0, (s + 1) / 10) * max(0.05, 1 - s / total), last_epoch=step - 1 if step else -1
    )

    model.train()
    started = time.perf_counter()
    with Progress(total, "training", start=step) as bar:
        while step < total:
            if not order:
                order = list(range(len(encoded)))
                random.shuffle(order)
            picked, order = order[: config.batch], order[config.batch :]
            loss, _ = _loss(model, [encoded[i][0] for i in picked], [encoded[i][1] for i in picked], pad_id)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            step += 1
            losses.append(round(loss.item(), 4))
            bar.advance(note=f"loss {sum(losses[-10:]) / len(losses[-10:]):.3f}")
            if step % config.checkpoint_every == 0 or step == total:
                checkpoint.mkdir(parents=True, exist_ok=True)
                _save(model, checkpoint)  # peft saves the LoRA weights as CPU tensors
                torch.save({"optimizer": optimizer.state_dict(), "step": step, "order": order, "losses": losses,
                            "python_rng": random.getstate(), "torch_rng": torch.get_rng_state()}, state_file)

    final = out / "adapter"
    if final.exists():
        shutil.rmtree(final)
    _save(model, final)
    _write_base_config(model.get_base_model().config, out / "base")
    summary = {
        "base": config.base, "base_sha256": hashlib.sha256(base_path.read_bytes()).hexdigest(),
        "dataset": str(config.train_file.name), "dataset_sha256": dataset_sha256(config.train_file),
        "examples": len(encoded), "steps": step, "batch": config.batch, "epochs": config.epochs, "lr": config.lr,
        "rank": config.rank, "alpha": config.alpha, "seed": config.seed, "loss_first10": _mean(losses[:10]),
        "loss_last10": _mean(losses[-10:]), "seconds_this_run": round(time.perf_counter() - started, 1), "device": device,
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    return final


def _save(model, folder: Path) -> None:
    import warnings

    with warnings.catch_warnings():
        # peft looks for the base's config.json beside the GGUF to see whether the vocabulary
        # grew; it didn't (LoRA on projections only), and there is none to find.
        warnings.filterwarnings("ignore", message="Could not find a config file")
        model.save_pretrained(str(folder))


def _mean(values: list[float]) -> float:
    return round(sum(values) / len(values), 4) if values else 0.0


def _write_base_config(config, folder: Path) -> None:
    """What llama.cpp's converter needs of the base: a config.json naming its architecture
    (a model loaded from GGUF refuses save_pretrained)."""
    folder.mkdir(parents=True, exist_ok=True)
    data = config.to_dict()
    data.pop("quantization_config", None)
    data["architectures"] = [type_name(config)]
    (folder / "config.json").write_text(json.dumps(data, indent=2))


def type_name(config) -> str:
    return {"gemma3_text": "Gemma3ForCausalLM", "llama": "LlamaForCausalLM"}.get(config.model_type, "LlamaForCausalLM")


# --- export -------------------------------------------------------------------------------


def converter_dir() -> Path:
    """llama.cpp's convert_lora_to_gguf.py and what it imports, from the llama-cpp-python
    source distribution on PyPI (the same version the server runs), fetched once."""
    cache = default_models_dir() / ".cache" / "llama.cpp-convert"
    script = cache / "convert_lora_to_gguf.py"
    if script.exists():
        return cache
    download = default_models_dir() / ".cache" / "sdist"
    download.mkdir(parents=True, exist_ok=True)
    if not list(download.glob("llama_cpp_python-*.tar.gz")):
        print(f"fetching {LLAMA_CPP_SDIST} (source, for llama.cpp's converter)", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "pip", "download", "--disable-pip-version-check", "--quiet", "--no-deps",
                        "--no-binary", ":all:", "-d", str(download), LLAMA_CPP_SDIST], check=True)
    archive = next(download.glob("llama_cpp_python-*.tar.gz"))
    wanted = ("convert_lora_to_gguf.py", "convert_hf_to_gguf.py", "conversion/", "gguf-py/")
    tmp = cache.with_name(cache.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    with tarfile.open(archive) as tar:
        for member in tar.getmembers():
            inner = member.name.split("/vendor/llama.cpp/", 1)
            if len(inner) == 2 and inner[1].startswith(wanted) and (member.isfile() or member.isdir()):
                member.name = inner[1]
                tar.extract(member, tmp, filter="data")
    shutil.rmtree(cache, ignore_errors=True)
    tmp.rename(cache)
    return cache


def export(run: Path, outfile: Path) -> Path:
    """The trained adapter in `run` (run/adapter, run/base) as a llama.cpp LoRA GGUF."""
    tools = converter_dir()
    outfile.parent.mkdir(parents=True, exist_ok=True)
    env = {"PYTHONPATH": f"{tools}:{tools / 'gguf-py'}", "PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1"}
    result = subprocess.run(
        [sys.executable, str(tools / "convert_lora_to_gguf.py"), str(run / "adapter"), "--base", str(run / "base"),
         "--outfile", str(outfile), "--outtype", "f16"],
        capture_output=True, text=True, env=env,
    )
    if result.returncode != 0 or not outfile.exists():
        raise RuntimeError(f"convert_lora_to_gguf.py failed:\n{result.stderr[-3000:]}")
    return outfile


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def record(run: Path, adapter_file: Path, evals: dict[str, Path], catalogue: Path | None = None) -> dict:
    """Write the adapter into the catalogue entry of its base model: file, size, sha256, the
    base's and the dataset's hashes, how it was trained (run/summary.json) and, from
    `warmitup eval --json` files, its eval figures. It also merges the adapter into the base
    (merge.py, deterministic) beside the catalogue and records that file's sha256, which
    `warmitup models fetch` reproduces on every machine. The server then loads it by default."""
    summary = json.loads((Path(run) / "summary.json").read_text())
    models_dir = default_models_dir()
    path = catalogue or models_dir / "catalogue.json"
    data = json.loads(path.read_text())
    entry = data["models"].get(summary["base"])
    if entry is None:
        raise SystemExit(f"{summary['base']!r} is not in {path}")
    if entry["sha256"] != summary["base_sha256"]:
        raise SystemExit(f"the run was trained on another {summary['base']} (sha256 {summary['base_sha256'][:12]}...)")
    adapter_file = Path(adapter_file).resolve()
    try:
        relative = adapter_file.relative_to(path.parent.resolve())
    except ValueError:
        raise SystemExit(f"{adapter_file} must lie under {path.parent} to be recorded") from None
    keys = ("examples", "steps", "epochs", "batch", "rank", "alpha", "lr", "seed", "loss_first10", "loss_last10", "device")
    training = {k: summary[k] for k in keys if k in summary}
    training["minutes"] = round(summary.get("seconds_this_run", 0) / 60)
    entry["adapter"] = {
        "file": str(relative), "size": adapter_file.stat().st_size, "sha256": sha256(adapter_file),
        "base_sha256": summary["base_sha256"], "dataset": f"training/{summary['dataset']}",
        "dataset_sha256": summary["dataset_sha256"], "training": training,
        "eval": {name: json.loads(Path(figures).read_text()) for name, figures in evals.items()},
    }
    from .merge import RECIPE, merge
    from .models import provenance

    merged = path.parent / f"{adapter_file.stem}-merged.gguf"
    merge(models_dir / entry["file"], adapter_file, merged, provenance(entry["file"], entry["sha256"], entry["adapter"]),
          label=f"merging {adapter_file.name}")
    entry["adapter"]["merged"] = {"file": merged.name, "size": merged.stat().st_size, "sha256": sha256(merged),
                                  "recipe": RECIPE}
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    return entry["adapter"]
