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


def test_a_must_keep_phrase_is_kept_through_the_short_forms_the_rules_write_out_but_never_through_a_new_not():
    from warmitup.evaluate import kept
    reply = "It generates within 24h. Flights are not covered. Breakfast is not included. We need the death certificate."
    assert kept("w/in 24h", reply) and kept("Flights not covered", reply) and kept("not incl.", reply) and kept("death cert", reply)
    assert not kept("Flights covered", reply)  # the reply says the opposite
    assert not kept("Breakfast incl.", reply)
    assert not kept("w/in 48h", reply)  # a figure must be there as typed
