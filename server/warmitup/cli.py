"""The `warmitup` command: serve, rewrite, models, eval."""

from __future__ import annotations

import argparse
import ipaddress
import json
import logging
import re
import sys
import time
from pathlib import Path

from werkzeug.serving import WSGIRequestHandler

from .models import ModelError, build_merged, default_models_dir, fetch, load_catalogue, verify
from .progress import Progress
from .settings import Settings


def _fail(message: str, code: int = 2) -> int:
    print(f"warmitup: {message}", file=sys.stderr)
    return code


def _settings(args) -> Settings:
    return Settings.from_env(
        model=getattr(args, "model", None),
        adapter=getattr(args, "adapter", None),
        host=getattr(args, "host", None),
        port=getattr(args, "port", None),
        use_model=False if getattr(args, "no_model", False) else None,
    )


def _rewriter(settings: Settings):
    from .engine import load_engine
    from .pipeline import Rewriter

    engine = load_engine(settings) if settings.use_model else None
    return Rewriter(engine, settings.mirror_samples, settings.body_samples, settings.seed)


# --- serve ----------------------------------------------------------------------

def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


QUERY = re.compile(r"\?[^\s'\"]*")


class PathOnlyLog(WSGIRequestHandler):
    """Logs each request without its query string: a one-time `/open?code=...` link, or a
    token sent wrongly as `?token=`, must not be kept in a log."""

    def log(self, type: str, message: str, *args) -> None:
        super().log(type, "%s", QUERY.sub("", message % args if args else message))


def cmd_serve(args) -> int:
    import threading

    from werkzeug.serving import make_server

    from .app import create_app
    from .engine import resolve_model

    settings = _settings(args)
    if not is_loopback(settings.host) and not args.expose:
        return _fail(
            f"refusing to listen on {settings.host}: anyone who can reach that address could read the drafts "
            "sent to this server. Use 127.0.0.1, or pass --expose if you really mean it."
        )
    if settings.use_model and not settings.engine_url:
        from .models import check_gguf

        check_gguf(Path(resolve_model(settings).path))  # a bad path fails here, in one line
    # The server never needs PyTorch (training does), but spaCy's thinc imports it whenever
    # it is installed: seconds of start-up and ~180 MB for nothing. This process goes without.
    sys.modules.setdefault("torch", None)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    # The model loads in the background while the server already answers: health says
    # "loading" until it is ready, so the extension can tell the agent to wait.
    app = create_app({"SETTINGS": {**vars(settings)}})
    server = make_server(settings.host, settings.port, app, threaded=True, request_handler=PathOnlyLog)
    print(f"Warm It Up serving on http://{settings.host}:{server.server_port} (Ctrl+C to stop)", file=sys.stderr)
    if not is_loopback(settings.host):
        _say_exposed(settings.host, server.server_port, app.config["ALLOWED_HOSTS"])
    print(f"To pair the extension, paste the token from `warmitup token` into its options page "
          f"(stored in {app.config['DATA_DIR'] / 'token'}).", file=sys.stderr)
    slot = app.extensions["warmitup.engine"]
    failure: list[str] = []

    def watch_loading():
        slot.ready.wait()
        if slot.state == "error":
            failure.append(slot.error)
            server.shutdown()
        elif slot.engine is not None:
            print(f"model {slot.engine.info.name} ready", file=sys.stderr)

    threading.Thread(target=watch_loading, name="load-watch", daemon=True).start()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    if failure:
        return _fail(failure[0])
    return 0


def _say_exposed(host: str, port: int, allowed: set[str]) -> None:
    """What --expose exposes, before the first request comes."""
    where = "every network interface of this machine" if host in {"0.0.0.0", "::"} else host
    print(f"EXPOSED (--expose): listening on {where}, port {port}. Anyone who can reach it can send requests; "
          "each still needs the token (`warmitup token`), and drafts travel unencrypted (plain HTTP).", file=sys.stderr)
    print("Requests addressed to these are answered (others get 403 bad_host):", file=sys.stderr)
    for name in sorted(allowed):
        print(f"  http://{name}", file=sys.stderr)


# --- token ----------------------------------------------------------------------

def cmd_token(args) -> int:
    from .security import default_data_dir, load_or_create_token

    settings = _settings(args)
    data_dir = Path(settings.data_dir).expanduser() if settings.data_dir else default_data_dir()
    print(load_or_create_token(data_dir, rotate=args.rotate))
    if args.rotate:
        print("New token made: restart the server and pair the extension again.", file=sys.stderr)
    return 0


def cmd_open(args) -> int:
    """Ask the running server for a one-time link to the settings page."""
    import urllib.error
    import urllib.request

    from .security import default_data_dir, load_or_create_token

    settings = _settings(args)
    data_dir = Path(settings.data_dir).expanduser() if settings.data_dir else default_data_dir()
    base = f"http://127.0.0.1:{settings.port}"
    request = urllib.request.Request(
        base + "/v1/page/codes", data=b"", method="POST",
        headers={"Authorization": f"Bearer {load_or_create_token(data_dir)}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            url = json.loads(response.read())["url"]
    except urllib.error.HTTPError as exc:
        return _fail(f"the server at {base} refused ({exc.code}); is it using the same data folder ({data_dir})?")
    except OSError:
        return _fail(f"Warm It Up isn't running at {base}: start it with `warmitup serve` (or scripts/serve)")
    print(url)
    print("Open this link in your browser; it works once, within two minutes.", file=sys.stderr)
    if args.browser:
        import webbrowser

        webbrowser.open(url)
    return 0


# --- rewrite --------------------------------------------------------------------

def cmd_rewrite(args) -> int:
    from .pipeline import InputError, RewriteRequest

    if args.batch:
        return _batch(args)
    draft = args.draft if args.draft is not None else sys.stdin.read()
    try:
        voice = _profile(args.profile)
    except ValueError as exc:
        return _fail(str(exc))
    req = RewriteRequest(
        draft=draft, customer_message=args.message or "", customer_name=args.customer or "",
        agent_name=args.agent or "", tone=args.tone or "", voice=voice,
    )
    try:
        req.validate()
    except InputError as exc:
        return _fail(str(exc))
    result = _rewriter(_settings(args)).rewrite(req)
    if args.json:
        print(json.dumps(result.as_dict(), indent=2))
    else:
        print(result.reply)
    return 0


def _profile(path: str | None):
    """The team voice from a profile file (as the settings page exports), or None."""
    if not path:
        return None
    from .voice import ProfileError, parse_profile

    try:
        return parse_profile(json.loads(Path(path).read_text(encoding="utf-8")))
    except OSError as exc:
        raise ValueError(f"can't read the profile {path}: {exc.strerror}") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    except ProfileError as exc:
        raise ValueError(f"{path} is not a usable profile: " + "; ".join(exc.problems)) from None


def read_cases(path: Path) -> list[dict]:
    """JSONL cases with at least a draft; a bad line is reported with its number."""
    cases = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                case = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{number}: not valid JSON ({exc.msg})") from None
            if not isinstance(case, dict) or not isinstance(case.get("draft"), str):
                raise ValueError(f"{path}:{number}: each line needs a \"draft\" string")
            case.setdefault("id", str(number))
            cases.append(case)
    return cases


def _batch(args) -> int:
    from .pipeline import InputError, RewriteRequest

    if not args.out:
        return _fail("--batch needs --out OUT.jsonl")
    try:
        cases = read_cases(Path(args.batch))
    except (OSError, ValueError) as exc:
        return _fail(str(exc))
    rewriter = _rewriter(_settings(args))
    failures = 0
    out_path = Path(args.out)
    tmp = out_path.with_suffix(out_path.suffix + ".partial")
    with open(tmp, "w", encoding="utf-8") as out, Progress(len(cases), "rewriting") as bar:
        for case in cases:
            req = RewriteRequest.from_case(case)
            started = time.perf_counter()
            try:
                req.validate()
                result = rewriter.rewrite(req)
                row = {"id": case["id"], "rewrite": result.reply, "latency_s": round(time.perf_counter() - started, 3)}
            except InputError as exc:
                failures += 1
                row = {"id": case["id"], "rewrite": None, "error": str(exc), "latency_s": 0.0}
            out.write(json.dumps(row) + "\n")
            bar.advance()
    tmp.replace(out_path)
    print(f"wrote {len(cases)} rows to {out_path}" + (f" ({failures} rejected inputs)" if failures else ""), file=sys.stderr)
    return 1 if failures else 0


# --- models ---------------------------------------------------------------------

def cmd_models(args) -> int:
    models_dir = default_models_dir()
    default, entries = load_catalogue(models_dir)
    action = args.action or "list"
    if action == "list":
        for entry in entries.values():
            mark = "*" if entry.name == default else " "
            present = "present" if (models_dir / entry.file).exists() else "not fetched"
            print(f"{mark} {entry.name:28} {entry.size / 1e6:6.0f} MB  {entry.prompt:10} {present:12} {entry.licence}")
            if entry.merged:
                present = "present" if (models_dir / entry.merged.file).exists() else "not made"
                print(f"  {'  + adapter, merged':28} {entry.merged.size / 1e6:6.0f} MB  {'completion':10} {present:12} (made by fetch)")
        print("(* default; `warmitup models fetch NAME` downloads one; --all fetches all but the optional ones)")
        return 0
    names = [args.name] if args.name else ([default] if not args.all else [n for n, e in entries.items() if not e.optional])
    unknown = [n for n in names if n not in entries]
    if unknown:
        return _fail(f"unknown model {unknown[0]!r}: choose from {', '.join(entries)}")
    status = 0
    for name in names:
        entry = entries[name]
        if action == "fetch":
            try:
                path = fetch(entry, models_dir)
                print(f"{name}: {path} (sha256 ok)")
                merged = build_merged(entry, models_dir)
                if merged:
                    print(f"{name} + adapter, merged: {merged} (sha256 ok)")
            except ModelError as exc:
                status = _fail(str(exc), 1)
        else:
            for label, item in ((name, entry), (f"{name} + adapter, merged", entry.merged)):
                if item is None:
                    continue
                with Progress(item.size, f"verifying {item.file}", unit="B") as bar:
                    ok, why = verify(item, models_dir, progress=bar.advance)
                print(f"{label}: {why}")
                status = status or (0 if ok else 1)
    return status


# --- eval -----------------------------------------------------------------------

def cmd_eval(args) -> int:
    from .evaluate import default_cases_path, run_eval

    path = Path(args.cases) if args.cases else default_cases_path()
    try:
        cases = read_cases(path)
    except (OSError, ValueError) as exc:
        return _fail(str(exc))
    settings = _settings(args)
    rewriter = _rewriter(settings)
    report = Path(args.report) if args.report else Path("reports") / f"eval-{path.stem}.md"
    sheet = Path(args.sheet) if args.sheet else None
    summary = run_eval(cases, rewriter, report, title=f"{path.name}, model {_model_name(rewriter)}", sheet=sheet)
    print(summary.table())
    print(f"\nreport: {report}" + (f"\nreading sheet: {sheet}" if sheet else ""))
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(summary.figures(), indent=2) + "\n", encoding="utf-8")
    return 0 if summary.guard_pass == 1.0 else 1


def cmd_verdicts(args) -> int:
    from .evaluate import count_verdicts

    try:
        text = Path(args.sheet).read_text(encoding="utf-8")
    except OSError as exc:
        return _fail(f"can't read {args.sheet}: {exc.strerror}")
    counts = count_verdicts(text)
    read = counts["SEND"] + counts["MINOR"] + counts["NO"]
    print(" / ".join(f"{k} {v}" for k, v in counts.items()) + (f"  (SEND {counts['SEND'] / read:.0%} of {read} read)" if read else ""))
    return 0 if counts["NO"] == 0 and counts["unread"] == 0 else 1


def _model_name(rewriter) -> str:
    if not rewriter.engine:
        return "none (deterministic only)"
    info = rewriter.engine.info
    if getattr(info, "merged", ""):
        return f"{info.name} + adapter {Path(info.merged).name} (merged)"
    return info.name + (f" + adapter {Path(info.adapter).name}" if getattr(info, "adapter", "") else "")


# --- the adapter ----------------------------------------------------------------

def cmd_train(args) -> int:
    try:
        from .adapter import TrainConfig, train
    except ImportError:
        return _fail("training needs the [train] extra: scripts/train installs it")
    config = TrainConfig(base=args.base, epochs=args.epochs, resume=args.resume, limit=args.limit, max_steps=args.max_steps,
                         out=Path(args.out) if args.out else TrainConfig.out, threads=args.threads, device=args.device,
                         train_file=Path(args.data) if args.data else TrainConfig.train_file)
    final = train(config)
    print(final)
    return 0


def cmd_export(args) -> int:
    from .adapter import export, sha256

    outfile = export(Path(args.run), Path(args.out))
    print(f"{outfile}  sha256 {sha256(outfile)}")
    return 0


def cmd_record(args) -> int:
    from .adapter import record

    evals = {}
    for item in args.eval or []:
        name, _, path = item.partition("=")
        if not path or not Path(path).exists():
            return _fail(f"--eval wants NAME=FILE with an existing file (from `warmitup eval --json`), not {item!r}")
        evals[name] = Path(path)
    entry = record(Path(args.run), Path(args.adapter), evals)
    print(f"recorded {entry['file']} (sha256 {entry['sha256'][:12]}...) in models/catalogue.json")
    return 0


# --- entry point ----------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="warmitup", description="Warm up terse support replies, locally.")
    sub = parser.add_subparsers(dest="command", required=True)

    def model_options(p):
        p.add_argument("--model", help="catalogue name or path to a .gguf file (default: the catalogue default)")
        p.add_argument("--adapter", help="LoRA adapter: auto (the catalogue's, default), none, or a .gguf path")
        p.add_argument("--no-model", action="store_true", help="deterministic composition only, no model")

    serve = sub.add_parser("serve", help="serve the HTTP API on 127.0.0.1")
    model_options(serve)
    serve.add_argument("--host", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default 8787)")
    serve.add_argument("--expose", action="store_true", help="allow a non-loopback address (0.0.0.0: every interface); says what it exposes")
    serve.set_defaults(func=cmd_serve)

    token = sub.add_parser("token", help="print the pairing token the extension needs")
    token.add_argument("--rotate", action="store_true", help="replace it (every paired extension must pair again)")
    token.set_defaults(func=cmd_token)

    open_page = sub.add_parser("open", help="print a one-time link to the settings page")
    open_page.add_argument("--port", type=int, help="the server's port (default 8787)")
    open_page.add_argument("--browser", action="store_true", help="also open it in the default browser")
    open_page.set_defaults(func=cmd_open)

    rewrite = sub.add_parser("rewrite", help="rewrite a draft (argument or stdin), or a batch")
    model_options(rewrite)
    rewrite.add_argument("draft", nargs="?", help="the draft; read from stdin when left out")
    rewrite.add_argument("--message", help="the customer's last message")
    rewrite.add_argument("--customer", help="the customer's name")
    rewrite.add_argument("--agent", help="the agent's name")
    rewrite.add_argument("--tone", help="warm, formal-warm or brief-warm (default: the profile's, or warm)")
    rewrite.add_argument("--profile", metavar="PROFILE.json", help="a team profile file, as the settings page exports")
    rewrite.add_argument("--json", action="store_true", help="print the whole result as JSON")
    rewrite.add_argument("--batch", metavar="IN.jsonl", help="rewrite every case in a JSONL file")
    rewrite.add_argument("--out", metavar="OUT.jsonl", help="where --batch writes id, rewrite, latency_s")
    rewrite.set_defaults(func=cmd_rewrite)

    models = sub.add_parser("models", help="list, fetch or verify catalogue models")
    models.add_argument("action", nargs="?", choices=["list", "fetch", "verify"], default="list")
    models.add_argument("name", nargs="?", help="catalogue name (default: the default model)")
    models.add_argument("--all", action="store_true", help="every catalogue model")
    models.set_defaults(func=cmd_models)

    evaluate = sub.add_parser("eval", help="run the pipeline over a cases file and print the table")
    model_options(evaluate)
    evaluate.add_argument("cases", nargs="?", help="JSONL cases (default: the project's own)")
    evaluate.add_argument("--report", help="Markdown report path (default reports/eval-NAME.md)")
    evaluate.add_argument("--json", help="also write the headline figures to this JSON file")
    evaluate.add_argument("--sheet", help="also write a reading sheet (every reply, a verdict line to fill in) to this path")
    evaluate.set_defaults(func=cmd_eval)

    verdicts = sub.add_parser("verdicts", help="count the SEND / MINOR / NO verdicts of a filled-in reading sheet")
    verdicts.add_argument("sheet", help="a reading sheet written by `warmitup eval --sheet`")
    verdicts.set_defaults(func=cmd_verdicts)

    training = sub.add_parser("train", help="train the LoRA adapter on models/training (needs the [train] extra)")
    training.add_argument("--base", default="gemma-3-270m", help="catalogue model to adapt")
    training.add_argument("--data", help="training JSONL (default models/training/train.jsonl)")
    training.add_argument("--epochs", type=float, default=2.0)
    training.add_argument("--limit", type=int, default=0, help="use the first N examples only")
    training.add_argument("--max-steps", type=int, default=0, help="stop after N steps")
    training.add_argument("--threads", type=int, default=0, help="torch CPU threads (default: torch's choice)")
    training.add_argument("--out", help="run folder (default models/training/run)")
    training.add_argument("--resume", action="store_true", help="go on from the run folder's last checkpoint")
    training.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto",
                          help="auto (default): a CUDA GPU when torch sees one, else the CPU")
    training.set_defaults(func=cmd_train)

    recording = sub.add_parser("record", help="make an exported adapter its base model's default, with its figures")
    recording.add_argument("run", help="the run folder that `train` wrote")
    recording.add_argument("adapter", help="the exported GGUF, under models/")
    recording.add_argument("--eval", action="append", metavar="NAME=FILE", help="figures from `warmitup eval --json` (repeatable)")
    recording.set_defaults(func=cmd_record)

    exporting = sub.add_parser("export", help="a trained run's adapter as a llama.cpp LoRA GGUF")
    exporting.add_argument("run", help="the run folder that `train` wrote")
    exporting.add_argument("--out", required=True, help="the .gguf to write")
    exporting.set_defaults(func=cmd_export)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ModelError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
