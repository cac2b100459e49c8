"""`warmitup eval`: run the pipeline over cases, score each reply, print a table, write a report."""

from __future__ import annotations

import re
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .guard import Context, longest_common_run, words
from .progress import Progress
from .vocabulary import EMPATHY_WORDS, NEUTRAL_WORDS

GREETING = re.compile(r"^\s*(hi|hello|hey|dear|good (?:morning|afternoon|evening))\b", re.I)
THANKS = re.compile(r"\b(thank|thanks|grateful|appreciate)\b", re.I)
EMPATHY = re.compile(
    r"\b(sorry|i understand|i can imagine|i know|i hear|lovely to hear|means a lot|i can see|must be|sounds)\b", re.I
)
OFFER_OR_CONFIRM = re.compile(r"\?|\b(just reply|reply here|let me know|happy to help|glad to help|i'll help)\b", re.I)


def default_cases_path() -> Path:
    return Path(__file__).with_name("data") / "eval_cases.jsonl"


def warmth_markers(reply: str) -> dict[str, bool]:
    return {
        "greeting": bool(GREETING.search(reply)),
        "thanks": bool(THANKS.search(reply)),
        "empathy": bool(EMPATHY.search(reply)),
        "offer_or_confirm": bool(OFFER_OR_CONFIRM.search(reply)),
    }


def is_specific(reply: str, draft: str, message: str) -> bool | None:
    """The reply names the customer's situation with their words (not the draft's),
    without quoting 8+ words of their message. None when there is no message."""
    if not message.strip():
        return None
    own = {w.lower() for w in words(message)} - {w.lower() for w in words(draft)} - NEUTRAL_WORDS - EMPATHY_WORDS
    used = {w.lower() for w in words(reply)} & own
    return bool(used) and longest_common_run(reply, message) < 8


@dataclass
class CaseResult:
    case: dict
    reply: str
    passed: bool
    failed_checks: list[str]
    warmth: float
    markers: dict
    specific: bool | None
    length_ok: bool
    model_share: float
    path: dict
    latency_s: float


@dataclass
class Summary:
    title: str
    results: list[CaseResult] = field(default_factory=list)

    @property
    def guard_pass(self) -> float:
        return sum(r.passed for r in self.results) / max(len(self.results), 1)

    def rows(self) -> list[tuple[str, str]]:
        rs, f = self.results, self.figures()
        n = max(len(rs), 1)
        return [
            ("cases", f"{f['cases']}"),
            ("pass every guard check", f"{f['guard_pass']:.0%} ({sum(r.passed for r in rs)}/{len(rs)})"),
            ("warmth markers (mean of 4)", f"{f['warmth']:.2f}"),
            ("  greeting / thanks / empathy / offer-confirm",
             " / ".join(f"{sum(r.markers[k] for r in rs) / n:.0%}" for k in ("greeting", "thanks", "empathy", "offer_or_confirm"))),
            ("specificity", f"{f['specificity']:.0%} ({f['specific_cases']}/{f['cases_with_message']} with a message)"),
            ("length in bounds", f"{sum(r.length_ok for r in rs) / n:.0%}"),
            ("text from the model (chars)", f"{f['model_chars']:.0%}"),
            ("  mirror by model / fallback / none",
             f"{f['mirror_by_model']} / {sum(r.path.get('mirror') == 'fallback' for r in rs)} / {sum(r.path.get('mirror') == 'none' for r in rs)}"),
            ("  answer by model / draft", f"{f['answer_by_model']} / {len(rs) - f['answer_by_model']}"),
            ("model text used untouched", f"{f['model_text_untouched']:.0%} ({f['untouched_cases']}/{len(rs)})"),
            ("  model candidates turned down for", self.rejections() or "-"),
            ("latency p50", f"{f['p50_s']:.2f} s"),
            ("latency p95", f"{f['p95_s']:.2f} s"),
        ]

    def figures(self) -> dict:
        """The headline numbers, for the table and for machines (`warmitup eval --json`, the catalogue)."""
        rs = self.results
        n = max(len(rs), 1)
        specific = [r.specific for r in rs if r.specific is not None]
        latencies = sorted(r.latency_s for r in rs)
        # The model's own text reached the reply untouched: its mirror, and its answer
        # wherever the pipeline asks for one (not for already-warm or listed drafts).
        untouched = sum(r.path.get("mirror") == "model" and (r.path.get("body") == "model" or not _asks_answer(r)) for r in rs)
        return {
            "cases": len(rs),
            "guard_pass": round(self.guard_pass, 3),
            "model_text_untouched": round(untouched / n, 3),
            "untouched_cases": untouched,
            "model_chars": round(statistics.mean(r.model_share for r in rs), 3) if rs else 0.0,
            "mirror_by_model": sum(r.path.get("mirror") == "model" for r in rs),
            "answer_by_model": sum(r.path.get("body") == "model" for r in rs),
            "specificity": round(sum(specific) / max(len(specific), 1), 3),
            "specific_cases": sum(specific),
            "cases_with_message": len(specific),
            "warmth": round(statistics.mean(r.warmth for r in rs), 2) if rs else 0.0,
            "p50_s": round(_percentile(latencies, 50), 2),
            "p95_s": round(_percentile(latencies, 95), 2),
        }

    def rejections(self, top: int = 4) -> str:
        """The commonest reasons the guard turned down a model candidate, e.g. "mirror less_specific 5"."""
        reasons = Counter(
            f"{r['part']} {name}" for result in self.results for r in result.path.get("rejected", []) for name in r["failed"]
        )
        return ", ".join(f"{reason} {n}" for reason, n in reasons.most_common(top))

    def table(self) -> str:
        rows = self.rows()
        width = max(len(k) for k, _ in rows)
        lines = [f"Eval: {self.title}", "-" * (width + 24)]
        lines += [f"{k:<{width}}  {v}" for k, v in rows]
        return "\n".join(lines)

    def markdown(self) -> str:
        out = [f"# Warm It Up eval: {self.title}", "", "| metric | value |", "|---|---|"]
        out += [f"| {k.strip()} | {v} |" for k, v in self.rows()]
        out += ["", "## Cases", "", "| id | draft | reply | checks | path | s |", "|---|---|---|---|---|---|"]
        for r in self.results:
            checks = "pass" if r.passed else "FAIL: " + ", ".join(r.failed_checks)
            path = f"mirror: {r.path.get('mirror')}, answer: {r.path.get('body')}"
            turned_down = sorted({f"{x['part']} {name}" for x in r.path.get("rejected", []) for name in x["failed"]})
            path += f" (turned down: {', '.join(turned_down)})" if turned_down else ""
            out.append(
                f"| {r.case['id']} | {_cell(r.case['draft'])} | {_cell(r.reply)} | {checks} | {path} | {r.latency_s:.2f} |"
            )
        return "\n".join(out) + "\n"


    def reading_sheet(self) -> str:
        """Every case laid out for a person to read and judge (reading-rubric.md): the message,
        the draft, the reply as it reaches the customer, and a verdict line to fill in."""
        out = [f"# Reading sheet: {self.title}", "",
               "Verdicts: SEND, MINOR or NO (with the sentence and its class). `warmitup verdicts THIS_FILE` counts them.", ""]
        for r in self.results:
            turned_down = sorted({f"{x['part']} {name}" for x in r.path.get("rejected", []) for name in x["failed"]})
            out += [
                f"## {r.case['id']}", "",
                "Customer:", "", _quoted(r.case.get("customer_message") or "(no message)"), "",
                "Draft:", "", _quoted(r.case["draft"]), "",
                f"Reply (mirror: {r.path.get('mirror')}, answer: {r.path.get('body')}"
                + (f"; turned down: {', '.join(turned_down)}" if turned_down else "") + "):", "",
                "~~~~", r.reply, "~~~~", "",
                "Verdict: ", "",
            ]
        return "\n".join(out)


VERDICT = re.compile(r"^Verdict:\s*(SEND|MINOR|NO)\b", re.M)


def count_verdicts(sheet: str) -> dict[str, int]:
    """SEND / MINOR / NO counts of a filled-in reading sheet, and how many are still blank."""
    found = Counter(VERDICT.findall(sheet))
    cases = len(re.findall(r"^## ", sheet, re.M))
    return {"SEND": found["SEND"], "MINOR": found["MINOR"], "NO": found["NO"], "unread": cases - sum(found.values())}


def _quoted(text: str) -> str:
    return "\n".join("> " + line for line in text.split("\n"))


def _asks_answer(result: "CaseResult") -> bool:
    """Whether the model was asked for an answer at all (not for already-warm or listed drafts)."""
    return result.path.get("body") == "model" or any(r.get("part") == "body" for r in result.path.get("rejected", []))


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>")


def _percentile(values: list[float], pct: int) -> float:
    if not values:
        return 0.0
    k = (len(values) - 1) * pct / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


# What the courtesy rules write for an agent's short forms: "w/in 24h" kept as "within 24h"
SHORT_FORMS = {"w/in": "within", "w/": "with", "w/o": "without", "incl.": "included", "incl": "included", "eff.": "effective",
               "biz": "business", "u": "you", "pls": "please", "plz": "please", "til": "until", "till": "until", "b/c": "because",
               "thx": "thanks", "no.": "number", "no": "number"}


def kept(fact: str, reply: str) -> bool:
    """Whether a must-keep phrase survives in `reply`: word for word, or every one of its words
    there (in any order), an agent's short form counting as the word the rules write for it
    ("Flights not covered" in "Flights are not covered", "w/in 24h" as "within 24h"). Figures
    and codes must be there as typed, and a phrase without a "not" never counts as kept where
    the reply puts one before its words."""
    if fact.lower() in reply.lower():
        return True
    from .draft import SHORTHAND

    def written(word: str) -> str:
        low = word.lower().strip(",;:!?()'\"")
        return SHORT_FORMS.get(low) or SHORT_FORMS.get(low.rstrip(".")) or SHORTHAND.get(low.rstrip("."), "")

    negation = re.compile(r"\b(?:not|no|never|without)\b|n't\b", re.I)
    forms = re.findall(r"[A-Za-z/]{3,}\.?", fact)
    forms += [w for w in map(written, forms) if w]
    if not negation.search(fact) and any(
            re.search(rf"(?:\b(?:not|no|never)|n't)\s+{re.escape(w.rstrip('.'))}\b", reply, re.I) for w in forms):
        return False  # "Flights covered" is not kept as "Flights are not covered"
    said = {w.lower().strip(".,;:!?()'\"") for w in reply.split()}
    for word in fact.split():
        bare = word.lower().strip(",;:!?()'\"")
        if bare in said or bare.rstrip(".") in said or (not bare.isalpha() and bare in reply.lower()):
            continue
        if (form := written(word)) and form in said:
            continue
        return False
    return True


def score(case: dict, result, latency: float) -> CaseResult:
    failed = [c["name"] for c in result.checks if not c["ok"]]
    reply = result.reply
    for fact in case.get("must_keep") or []:
        if not kept(fact, reply):
            failed.append(f"must_keep:{fact}")
    markers = warmth_markers(reply)
    ctx = Context(case["draft"], case.get("customer_message") or "")
    return CaseResult(
        case=case,
        reply=reply,
        passed=not failed,
        failed_checks=failed,
        warmth=sum(markers.values()),
        markers=markers,
        specific=is_specific(reply, ctx.draft, ctx.customer_message),
        length_ok=next((c["ok"] for c in result.checks if c["name"] == "length_in_bounds"), False),
        model_share=result.model_share,
        path=result.path,
        latency_s=latency,
    )


def run_eval(cases: list[dict], rewriter, report: Path | None, title: str = "", sheet: Path | None = None) -> Summary:
    from .pipeline import RewriteRequest

    summary = Summary(title=title)
    with Progress(len(cases), "evaluating") as bar:
        for case in cases:
            started = time.perf_counter()
            result = rewriter.rewrite(RewriteRequest.from_case(case))
            summary.results.append(score(case, result, time.perf_counter() - started))
            bar.advance()
    if report:
        report.parent.mkdir(parents=True, exist_ok=True)
        report.write_text(summary.markdown(), encoding="utf-8")
    if sheet:
        sheet.parent.mkdir(parents=True, exist_ok=True)
        sheet.write_text(summary.reading_sheet(), encoding="utf-8")
    return summary
