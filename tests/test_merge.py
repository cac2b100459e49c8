"""The adapter merged into its base's weights: correct, deterministic, the rest untouched."""

import gguf
import numpy as np
import pytest

from warmitup.merge import RECIPE, lora_delta, merge
from warmitup.models import ModelError

Q = gguf.GGMLQuantizationType


def _weights(rows: int, cols: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    x = (rng.standard_normal((rows, cols)) * 0.05).astype(np.float32)
    x[0, :256] = 0  # an all-zero block
    x[1, :256] = 0.01  # a flat one
    x[3, :32] *= 40  # an outlier block
    return x


def _write(path, arch, tensors: dict, fields: dict):
    writer = gguf.GGUFWriter(str(path), arch)
    for key, (value, kind) in fields.items():
        writer.add_key_value(key, value, kind)
    for name, (data, kind) in tensors.items():
        writer.add_tensor(name, data, raw_dtype=kind)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


KINDS = {"blk.0.attn_q.weight": Q.Q5_0, "blk.0.attn_k.weight": Q.Q4_0, "blk.0.attn_v.weight": Q.Q8_0}


@pytest.fixture
def model_and_lora(tmp_path):
    """A small model in Gemma's types (gguf-py writes them as ggml does), and a rank-4 LoRA
    on each of its matrices."""
    rng = np.random.default_rng(3)
    base, lora = {}, {}
    for i, (name, kind) in enumerate(KINDS.items()):
        weights = _weights(64, 512, seed=10 + i)
        base[name] = (gguf.quantize(weights, kind), kind)
        lora[name + ".lora_a"] = ((rng.standard_normal((4, 512)) * 0.1).astype(np.float16), Q.F16)
        lora[name + ".lora_b"] = ((rng.standard_normal((64, 4)) * 0.1).astype(np.float16), Q.F16)
    base["blk.0.attn_norm.weight"] = (np.ones(512, dtype=np.float32), Q.F32)
    _write(tmp_path / "base.gguf", "gemma3", base, {"general.name": ("tiny", gguf.GGUFValueType.STRING)})
    _write(tmp_path / "lora.gguf", "gemma3", lora, {
        "general.type": ("adapter", gguf.GGUFValueType.STRING), "adapter.type": ("lora", gguf.GGUFValueType.STRING),
        "adapter.lora.alpha": (8.0, gguf.GGUFValueType.FLOAT32)})
    return tmp_path / "base.gguf", tmp_path / "lora.gguf"


def test_merge_adds_the_lora_in_q8_0_and_copies_the_rest(model_and_lora, tmp_path):
    base_path, lora_path = model_and_lora
    merge(base_path, lora_path, tmp_path / "merged.gguf", {"base_sha256": "abc"})
    base, lora, merged = (gguf.GGUFReader(p) for p in (base_path, lora_path, tmp_path / "merged.gguf"))
    before = {t.name: t for t in base.tensors}
    pairs = {t.name: t for t in lora.tensors}
    assert [t.name for t in merged.tensors] == list(before)
    for t in merged.tensors:
        old = before[t.name]
        if t.name not in KINDS:
            assert t.tensor_type == old.tensor_type and np.array_equal(t.data, old.data)  # untouched, byte for byte
            continue
        assert t.tensor_type == Q.Q8_0 and list(t.shape) == list(old.shape)
        delta = lora_delta(pairs[t.name + ".lora_a"].data, pairs[t.name + ".lora_b"].data, 8.0 / 4)
        want = gguf.dequantize(old.data, old.tensor_type) + delta
        got = gguf.dequantize(t.data, t.tensor_type)
        # Within Q8_0's rounding of base + delta: the adapter's change is kept, not rounded away.
        assert np.abs(got - want).mean() < 0.05 * np.abs(delta).mean(), t.name
    assert merged.fields["warmitup.merge.recipe"].contents() == RECIPE
    assert merged.fields["warmitup.merge.base_sha256"].contents() == "abc"
    assert merged.fields["general.name"].contents() == "tiny"


def test_merging_twice_gives_the_same_bytes(model_and_lora, tmp_path):
    base_path, lora_path = model_and_lora
    merge(base_path, lora_path, tmp_path / "one.gguf")
    merge(base_path, lora_path, tmp_path / "two.gguf")
    assert (tmp_path / "one.gguf").read_bytes() == (tmp_path / "two.gguf").read_bytes()


def test_a_delta_is_summed_in_a_fixed_order_not_by_blas():
    rng = np.random.default_rng(5)
    a = rng.standard_normal((16, 640)).astype(np.float16)
    b = rng.standard_normal((1024, 16)).astype(np.float16)
    delta = lora_delta(a, b, 2.0)
    assert np.allclose(delta, 2.0 * b.astype(np.float64) @ a.astype(np.float64), rtol=1e-4, atol=1e-4)
    expected = np.zeros_like(delta)
    for r in range(16):
        expected += np.multiply.outer(b[:, r].astype(np.float32), a[r].astype(np.float32))
    assert np.array_equal(delta, expected * np.float32(2.0))


def test_a_file_that_is_no_lora_is_refused(model_and_lora, tmp_path):
    base_path, _ = model_and_lora
    with pytest.raises(ModelError, match="not a LoRA adapter"):
        merge(base_path, base_path, tmp_path / "merged.gguf")
    assert not (tmp_path / "merged.gguf").exists()
