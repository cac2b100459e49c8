"""The deterministic mirror: which of the customer's clauses, and how it is turned round."""

from warmitup import compose
from warmitup.guard import Context


def test_a_word_that_begins_like_a_lead_in_keeps_its_letters():
    """"So", "Hi" and "Ok" are lead-ins; "Someone", "Hiking" and "Okinawa" are not."""
    clauses = compose._clauses("Someone used my card in Spain. Okinawa hotel booking was cancelled.")
    assert clauses[0].startswith("Someone used") and clauses[1].startswith("Okinawa")


def test_never_having_done_something_is_not_mirrored_as_a_misfortune():
    ctx = Context(draft="Card blocked.", customer_message="Someone used my card in Spain, I've never been to Spain.",
                  customer_name="Omar", agent_name="Lea")
    mirrors = compose.mirror_candidates(ctx)
    assert mirrors[0] == "I understand that someone used your card in Spain."
    assert not any("sorry" in m and "never been" in m and "someone" not in m for m in mirrors)


def test_the_customers_please_is_not_part_of_their_wish():
    assert compose._question_mirror("Can you add dark mode please?") == "I understand you'd like us to add dark mode"
