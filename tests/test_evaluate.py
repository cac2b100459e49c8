"""The reading sheet: every reply laid out for a person's verdict, and the count of verdicts."""

from warmitup.evaluate import count_verdicts, run_eval
from warmitup.pipeline import Rewriter

CASES = [
    {"id": "a1", "draft": "Refund sent. 3 days.", "customer_message": "I was billed twice.", "customer_name": "Ada"},
    {"id": "a2", "draft": "```\nmake clean\n```\nthen rebuild", "customer_message": "Build fails."},
]


def test_the_sheet_holds_every_reply_and_its_verdicts_are_counted(tmp_path):
    sheet = tmp_path / "sheet.md"
    summary = run_eval(CASES, Rewriter(None), None, title="t", sheet=sheet)
    text = sheet.read_text(encoding="utf-8")
    for result in summary.results:
        assert result.reply in text
    assert "```\nmake clean\n```" in text  # the reply's code block shown as it is
    assert count_verdicts(text) == {"SEND": 0, "MINOR": 0, "NO": 0, "unread": 2}
    filled = text.replace("Verdict: \n", "Verdict: SEND\n", 1).replace("Verdict: \n", "Verdict: NO (\"x\", garbled)\n", 1)
    assert count_verdicts(filled) == {"SEND": 1, "MINOR": 0, "NO": 1, "unread": 0}
