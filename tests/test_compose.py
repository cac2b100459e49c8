"""The deterministic mirror: which of the customer's clauses, and how it is turned round."""

import re

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


def test_a_draft_that_speaks_to_a_colleague_gets_no_words_meant_for_the_customer():
    """"@sam can you take this" is for Sam: no mirror of the customer's message, no closing."""
    ctx = Context(draft="@sam can you take this one? Repro confirmed on 2.4.", customer_message="The export button crashes the app.",
                  customer_name="lucia", agent_name="Ben")
    plan = compose.plan(ctx, "warm")
    assert plan.aside and plan.closing == [] and plan.greeting == "Hi @sam,"
    # Addressed to the customer by their handle, it is an ordinary reply.
    ctx = Context(draft="@lucia can you attach the log?", customer_message="The export button crashes the app.",
                  customer_name="lucia", agent_name="Ben")
    assert not compose.plan(ctx, "warm").aside
    # A greeting word before the handle greets the customer, whatever their display name.
    ctx = Context(draft="Hi @lu-dev, we don't offer a bounty.", customer_message="Found a bug, is there a reward?",
                  customer_name="lucia", agent_name="Ben")
    assert not compose.plan(ctx, "warm").aside


def test_a_country_in_capitals_is_not_turned_round():
    assert compose._perspective("the form rejects my US address") == "the form rejects your US address"
    assert compose._perspective("send us my refund") == "send you your refund"


def test_a_program_that_panics_is_not_a_frightened_customer():
    assert compose.customer_feeling("thread 'main' panicked at 'index out of bounds'") != "fear"
    assert compose.customer_feeling("The parser panics on this file.") != "fear"
    assert compose.customer_feeling("I'm panicking, my flight is in an hour") == "fear"


def test_read_only_is_not_a_refusal():
    assert compose.reply_act("Old boards stay read-only, nothing is deleted.") != "refuses"
    assert compose.reply_act("EU customers only.") == "refuses"


def test_only_in_a_whole_sentence_describes_and_a_short_no_refuses():
    """"The viewer role opens reports only." says what a role does: no "I know this isn't the
    answer you were hoping for" after it. "Sorry, no smoking." refuses."""
    assert compose.reply_act("Invite them under Settings > Team. The viewer role opens reports only.") != "refuses"
    assert compose.reply_act("Sorry, no smoking. Balconies are fine.") == "refuses"
    assert compose.reply_act("Weekdays only.") == "refuses"


def test_only_waiting_is_thanked_as_patience():
    """"Do I bring the letter again?" and "each worker computes it again" are not waiting."""
    assert compose.customer_feeling("Can I move it? Do I need to bring my referral letter again?") != "waited"
    assert compose.customer_feeling("Each worker computes the same value again, is this a bug?") != "waited"
    assert compose.customer_feeling("Landed 3 hours ago and my bag never came out.") != "waited"
    assert compose.customer_feeling("My parcel was supposed to arrive two weeks ago.") == "waited"
    assert compose.customer_feeling("This is the third time I'm writing about it.") == "waited"


def test_urgency_is_an_emergency_number_or_instruction_not_an_amount_or_a_word():
    assert compose.reply_act("Call 911 now, then reply here.") == "urgent"
    assert compose.reply_act("No. Current limit $5,000.") != "urgent"          # "000" in an amount
    assert compose.reply_act("Emergency tarping is covered, up to $1,500.") != "urgent"
    # "an emergency supply", "the Emergency Kit": a kind of thing, not an emergency
    assert compose.reply_act("Any pharmacy can give you an emergency 2-day supply.") != "urgent"
    assert compose.reply_act("If you kept the Emergency Kit sheet, the code is on it.") != "urgent"
    assert compose.reply_act("This is an emergency, call us on the night line.") == "urgent"


def test_only_is_a_refusal_when_it_limits():
    assert compose.reply_act("US only.") == "refuses"
    assert compose.reply_act("I can only discuss it with the patient.") == "refuses"
    assert compose.reply_act("Sorry for the delay, we are only 2 maintainers. Fix the lint and I'll merge it.") != "refuses"


def test_a_fallback_mirror_keeps_the_case_of_a_name_with_capitals_inside():
    assert compose._clean("ValueError on every import").startswith("ValueError")
    assert compose._clean("The export hangs").startswith("the export")
    assert compose._clean("The API rejects my key").startswith("the API")  # a name after "The": still "the"
    assert compose._clean("New York office closed").startswith("New York")


def test_their_shouting_is_lowered_whole_and_names_keep_their_capitals():
    assert compose._clean("MY PARCEL ARRIVED SMASHED AGAIN") == "my parcel arrived smashed again"
    assert compose._clean("I HAVE NEVER MISSED A PAYMENT") == "I have never missed a payment"
    assert compose._clean("the CSV export over HTTPS fails") == "the CSV export over HTTPS fails"


def test_praise_of_our_work_is_mirrored_as_ours():
    """"We love your podcast" is "you love our podcast": "the podcast" reads as theirs. A
    complaint's "your" stays "the" ("your courier lost it": not ours to own in a mirror)."""
    ctx = Context(draft="Thanks so much!", customer_message="We love your podcast and play it every week.",
                  customer_name="Noor", agent_name="Ivo")
    assert "It's lovely to hear that you love our podcast and play it every week." in compose.mirror_candidates(ctx)
    ctx = Context(draft="Replacement sent.", customer_message="Your courier lost my parcel near the station.",
                  customer_name="Noor", agent_name="Ivo")
    mirrors = compose.mirror_candidates(ctx)
    assert mirrors and not any(" our " in m for m in mirrors), mirrors


def test_a_name_the_greeting_says_is_not_said_again_in_the_body():
    ctx = Context(draft="Great to hear, Noor! See you at the next show.", customer_message="Loved the concert.",
                  customer_name="Noor", agent_name="Ivo")
    plan = compose.plan(ctx, "warm")
    reply = compose.assemble(plan, "", plan.body)
    assert "Great to hear! See you at the next show." in reply and reply.startswith("Hi Noor,")
    ctx = Context(draft="Thanks Noor! Passed it on to the band.", customer_message="Loved the concert.",
                  customer_name="Noor", agent_name="Ivo")
    plan = compose.plan(ctx, "warm")
    assert compose.assemble(plan, "", plan.body).split("\n\n")[1].startswith("Thanks! We passed it on to the band.")
    # Another name, or the name as a subject, stays.
    ctx = Context(draft="Noor, Sam will call you. Thanks, Sam!", customer_message="Loved the concert.",
                  customer_name="Noor", agent_name="Ivo")
    plan = compose.plan(ctx, "warm")
    assert "Thanks, Sam!" in compose.assemble(plan, "", plan.body)


def test_a_lone_apology_is_not_said_twice():
    """The mirror says "I'm sorry to hear ..."; the draft's "Sorry." after it would be the
    second sorry in a row. Without a mirror it stays, and so does one that says more."""
    from warmitup.pipeline import Rewriter, RewriteRequest

    rewriter = Rewriter(None)
    message = "My order never came and nobody answers my emails, this is awful."
    reply = rewriter.rewrite(RewriteRequest(draft="Sorry. Order re-sent today.", customer_message=message,
                                            customer_name="Al", agent_name="Bo")).reply
    assert reply.count("orry") == 1 and "Order re-sent today." in reply, reply
    reply = rewriter.rewrite(RewriteRequest(draft="Sorry, we lost it. Order re-sent today.", customer_message=message,
                                            customer_name="Al", agent_name="Bo")).reply
    assert "Sorry, we lost it." in reply
    reply = rewriter.rewrite(RewriteRequest(draft="Sorry. Order re-sent today.", customer_name="Al", agent_name="Bo")).reply
    assert "Sorry." in reply
    reply = rewriter.rewrite(RewriteRequest(draft="I will re-send the order today. Sorry about this.", customer_message=message,
                                            customer_name="Al", agent_name="Bo")).reply
    assert reply.count("orry") == 1 and "re-send the order today." in reply, reply


def test_a_draft_that_thanks_while_asking_gets_no_second_thanks():
    ctx = Context(draft="Please send the error log, thanks.", customer_message="The export crashes every time.",
                  customer_name="Al", agent_name="Bo")
    plan = compose.plan(ctx, "warm")
    assert not any(re.search(r"thank|appreciate", line, re.I) for line in plan.closing), plan.closing


def test_praise_with_no_let_down_is_not_sarcasm():
    assert compose.customer_feeling("Really great service, thank you for the quick fix!") != "sarcasm"
    assert compose.customer_feeling("Wow, the new editor is amazing!") == "praise"


def test_a_reply_thanks_once():
    """A mirror that thanks ("Thank you for asking ...") leaves out the closing's thanks."""
    ctx = Context(draft="Go to Settings > Billing > Invoices.", customer_message="How do I download an invoice?",
                  customer_name="Al", agent_name="Bo")
    plan = compose.plan(ctx, "warm")
    assert plan.thanks
    reply = compose.assemble(plan, "Thank you for asking how to download an invoice.", plan.body)
    assert len(re.findall(r"\bthank", reply, re.I)) == 1, reply
    reply = compose.assemble(plan, "I understand you'd like to download an invoice.", plan.body)
    assert plan.thanks in reply


def test_praise_gets_no_help_desk_closing():
    """"Your team was wonderful" answered with "Thank you so much!" needs no "I hope that
    helps" or "If you run into anything else"."""
    ctx = Context(draft="Thank you so much, that made our day!", customer_message="Your staff were wonderful at the launch.",
                  customer_name="Al", agent_name="Bo")
    plan = compose.plan(ctx, "warm")
    assert not any("hope" in line or "run into" in line or "unclear" in line for line in plan.closing), plan.closing


def test_a_list_of_answers_is_not_steps_to_try():
    """"1) 1 bag 2) No wifi" answers several questions: no "give that a try", and its one
    "no" doesn't make the reply a refusal. "1. Open Settings" is steps."""
    assert compose.reply_act("1) One bag, 20kg. 2) Window seat $15 in the app. 3) No meals on that route.") == "answers"
    assert compose.reply_act("1. Open Settings.\n2. Tap Reset.") == "steps"


def test_asking_a_customer_we_let_down_is_not_thanks_in_advance():
    ctx = Context(draft="Need the card's last 4 digits to trace it.", customer_message="You charged me twice AGAIN. Unacceptable.",
                  customer_name="Al", agent_name="Bo")
    plan = compose.plan(ctx, "warm")
    assert not any("in advance" in line or "your help" in line for line in plan.closing), plan.closing
    ctx = Context(draft="Can you post the full traceback?", customer_message="The parser crashes on empty files.",
                  customer_name="Al", agent_name="Bo")
    assert compose.plan(ctx, "warm").closing  # a bug report still gets its closing


def test_a_mirror_cut_short_keeps_the_trouble_or_is_not_made():
    """"My lamp arrived with the shade torn" is not "your lamp arrived"."""
    ctx = Context(draft="Replacement sent.", customer_message="My lamp arrived with the shade torn right across and bits of glass everywhere in the box.",
                  customer_name="Al", agent_name="Bo")
    assert not any(m.rstrip(".").endswith("your lamp arrived") for m in compose.mirror_candidates(ctx))


def test_a_question_keeps_its_phrase_with_its_subject():
    assert compose._question_mirror("Why was my claim for dental work rejected?") == \
        "I understand you'd like to know why your claim for dental work was rejected"


def test_a_condolence_in_the_draft_is_not_said_after_ours():
    from warmitup.pipeline import Rewriter, RewriteRequest

    reply = Rewriter(None).rewrite(RewriteRequest(
        draft="Sorry for your loss. Account moved to your name.", customer_message="My father passed away last month and the bill is in his name.",
        customer_name="Al", agent_name="Bo")).reply
    assert reply.lower().count("sorry") == 1 and "moved to your name." in reply, reply


def test_a_thing_that_dies_is_no_bereavement():
    """"The battery dies after two minutes" gets no condolences and no "With sympathy"."""
    for message in ("The new torch battery dies after ten minutes, the box is unopened otherwise.",
                    "There's a dead pixel in the middle of the screen."):
        ctx = Context(draft="Replacement sent.", customer_message=message, customer_name="Al", agent_name="Bo")
        plan = compose.plan(ctx, "warm")
        assert not plan.grief and "sympathy" not in plan.signoff.lower(), message
    ctx = Context(draft="Account moved to your name.", customer_message="My wife died in May and the bills are in her name.",
                  customer_name="Al", agent_name="Bo")
    assert compose.plan(ctx, "warm").grief


def test_joy_with_two_exclamation_marks_is_not_anger():
    assert compose.customer_feeling("The coach has been amazing, I finally ran 5k!! Could I pause my plan in May?") != "anger"


def test_still_having_something_is_no_misfortune():
    """"I still have the box" is not "I'm sorry to hear that you still have the box"."""
    ctx = Context(draft="Replacement sent.", customer_message="I still have the box and the receipt from the shop.",
                  customer_name="Al", agent_name="Bo")
    assert not any(m.startswith("I'm sorry") for m in compose.mirror_candidates(ctx))
    ctx = Context(draft="Refund sent.", customer_message="I still don't have my refund from the shop.", customer_name="Al", agent_name="Bo")
    assert compose.mirror_candidates(ctx)[0].startswith("I'm sorry")


def test_what_they_need_to_do_is_asked_in_our_words():
    assert compose._question_mirror("What do I need to do?") == "I understand you'd like to know what you need to do"


def test_their_setup_alone_is_not_their_situation():
    ctx = Context(draft="Not supported on Windows.", customer_message="I'm using Windows 11. Is it supported?",
                  customer_name="Al", agent_name="Bo")
    assert not any("using Windows 11" in m for m in compose.mirror_candidates(ctx))


def test_an_ultimatum_is_not_said_back():
    ctx = Context(draft="Refund issued.", customer_message="You charged me twice. I've been with you for 9 years and I am done being treated like this.",
                  customer_name="Al", agent_name="Bo")
    assert not any("done being" in m for m in compose.mirror_candidates(ctx))


def test_what_they_had_to_do_is_ours_to_be_sorry_for():
    """"I've emailed twice about my payslip" is "I'm sorry you've had to email twice", not
    "I'm sorry to hear that you've emailed twice" (their act, as if it were the trouble)."""
    ctx = Context(draft="Payslip attached.", customer_message="I've emailed twice about my payslip and still nothing.",
                  customer_name="Al", agent_name="Bo")
    assert "I'm sorry you've had to email twice about your payslip." in compose.mirror_candidates(ctx)


def test_the_companys_you_as_an_object_is_us():
    assert compose._perspective("I've been with you since 2015") == "you've been with us since 2015"


def test_an_emergency_department_is_urgent_and_a_shell_terminal_is_no_grief():
    assert compose.reply_act("The swelling is spreading: go to A&E now.") == "urgent"
    # advice for if it gets worse: the reply answers, and no "Does that work for you?" after it
    assert compose.reply_act("Some swelling is normal. If it spreads to the eye, go to A&E. Otherwise call at 8am tomorrow.") == "answers"
    ctx = Context(draft="Run `brew doctor`.", customer_message="I closed and reopened the terminal and it still says command not found.",
                  customer_name="Al", agent_name="Bo")
    assert not compose.plan(ctx, "warm").grief


def test_what_they_know_is_not_mirrored():
    ctx = Context(draft="We can't change the mark.", customer_message="I know I can't appeal the mark itself, but the marker ignored my extension.",
                  customer_name="Al", agent_name="Bo")
    assert not any("you know" in m for m in compose.mirror_candidates(ctx))


def test_a_date_written_the_way_a_learner_writes_it_is_ours_in_the_mirror():
    ctx = Context(draft="Breakfast is included.", customer_message="I am booking the room for 2 nights from 18 of October, sorry for my english.",
                  customer_name="Al", agent_name="Bo")
    assert any("from 18 October" in m for m in compose.mirror_candidates(ctx))


def test_advice_for_next_time_is_not_an_ask_we_wait_on():
    assert compose.reply_act("Refunded $20 to your card. Please send a photo within 24h next time.") != "asks"
    assert compose.reply_act("Please send a photo of the label.") == "asks"


def test_a_worried_customer_gets_one_line_of_feeling_not_two():
    ctx = Context("Can't do it remotely, sorry. Hold the button 10 sec to reset.", "I'm really worried the heating will stop at the weekend.")
    closing = " ".join(compose.plan(ctx, "warm").closing)
    assert "worrying" in closing and "hoping" not in closing, closing


def test_a_grieving_customer_with_a_deadline_is_not_told_to_take_all_the_time_they_need():
    message = "My wife died on Sunday and I need to cancel our trip."
    ctx = Context("Trip cancelled, full refund. Please send the death certificate within 30 days, otherwise the refund is reversed.", message)
    assert "whatever time you need" not in " ".join(compose.plan(ctx, "warm").closing)
    ctx = Context("Trip cancelled, full refund to your card.", message)
    assert "whatever time you need" in " ".join(compose.plan(ctx, "warm").closing)


def test_an_emergency_clinic_and_bring_him_in_now_are_urgent():
    assert compose.reply_act("Bring him in now. After 6, go to the 24hr Emergency Vet on King St.") == "urgent"


def test_a_line_that_has_been_dead_is_no_grief_and_love_it_over_a_charge_is_sarcasm():
    assert compose.customer_feeling("My broadband has been dead since Tuesday.") != "grief"
    assert compose.customer_feeling("My father has been dead a year and the account is still in his name.") == "grief"
    assert compose.customer_feeling("Oh lovely, love it. A $35 service charge for a call that never connected.") == "sarcasm"


def test_a_mirror_is_built_from_their_own_words_not_the_email_they_quote():
    message = ("> On Mar 2, Lee from Support wrote:\n> The engineers will have the export fixed by Friday.\n\n"
               "I waited all weekend. The export still fails on every file.")
    mirrors = compose.mirror_candidates(Context("Fix deployed today, please retry.", message))
    assert mirrors and not any("engineer" in m.lower() or "friday" in m.lower() for m in mirrors), mirrors


def test_a_final_decision_is_a_refusal_and_a_pet_in_danger_is_not_your_safety():
    assert compose.reply_act("Reviewed the appeal. Ban upheld, appeal closed. Final decision.") == "refuses"
    ctx = Context("Bring her in now. After 8pm go to the emergency vet on Hill St.", "My cat ate a lily leaf, what do I do")
    assert "your safety" not in " ".join(compose.plan(ctx, "warm").closing)
    ctx = Context("Leave the house now and call 999 from outside.", "I can smell gas in the kitchen")
    assert "safety" in " ".join(compose.plan(ctx, "warm").closing)


def test_delight_is_mirrored_before_their_circumstances_and_not_told_it_was_let_down():
    message = "The new reading mode is wonderful, I used it all through a 6-hour train ride. Is there a way to export highlights?"
    ctx = Context("Thanks! Highlight export not supported yet, on the roadmap.", message)
    assert compose.mirror_candidates(ctx)[0].startswith("It's lovely to hear"), compose.mirror_candidates(ctx)
    assert "hoping" not in " ".join(compose.plan(ctx, "warm").closing)


def test_sarcastic_praise_of_a_chore_is_sarcasm():
    message = "Love that I can join online in a minute but to cancel I must post a letter. What year is it. Cancel it please."
    assert compose.customer_feeling(message) == "sarcasm"


def test_a_late_no_beside_what_we_did_is_no_refusal():
    draft = ("So sorry about that. I've refunded the full $20.10 to your card and added a $5 credit. "
             "The courier's name isn't something I can share, but I've reported it.")
    assert compose.reply_act(draft) != "refuses"
    assert compose.reply_act("Can't refund the full amount. We've credited $5 as a goodwill gesture.") == "refuses"


def test_a_thing_that_belonged_to_someone_late_is_no_grief_and_a_wedding_off_is_no_time_for_thanks_in_advance():
    assert compose.customer_feeling("Please pack her late husband's clock with care, it is 150 years old.") != "grief"
    ctx = Context("Deposit is non-refundable. Please send the cancellation in writing.", "wedding's off. how do i get the deposit back")
    assert "in advance" not in " ".join(compose.plan(ctx, "warm").closing)


def test_a_reply_that_says_replies_here_are_lost_does_not_invite_one():
    ctx = Context("Upload the photos to the case itself; replies to this thread are not attached to the case.", "I sent the photos twice!!")
    assert "reply here" not in " ".join(compose.plan(ctx, "warm").closing)


def test_a_request_not_to_write_again_is_not_followed_by_an_invitation_to():
    ctx = Context("Please avoid opening issues like this. This was declined in #12.", "when will you add dark mode??")
    plan = compose.plan(ctx, "warm")
    assert plan.closing == ["Thank you for understanding."], plan.closing


def test_a_frightened_customer_hears_one_open_door_not_three():
    """"I'm here to help" after a fraud: no "I hope that helps" or "Does that work for you?" stacked on it."""
    ctx = Context(draft="Account frozen. New card arrives Monday.", customer_name="Ines", agent_name="Tom",
                  customer_message="Someone emptied my savings overnight, I'm shaking and terrified. What do I do?")
    closing = compose.plan(ctx, "warm").closing
    assert any("worrying" in line for line in closing)
    assert not any(line in {"Does that work for you?", "I hope that works for you.", "I hope that helps.", "I hope this helps."}
                   for line in closing)


def test_a_customer_kept_waiting_hears_sorry_for_the_wait_not_thanks_for_patience():
    ctx = Context(draft="Refund issued. 5-7 business days.", customer_name="Ravi", agent_name="Tom",
                  customer_message="This is the fourth time I've emailed about the double charge and nobody has answered.")
    plan = compose.plan(ctx, "warm")
    assert plan.thanks == "I'm sorry you've had to wait so long for an answer."
    assert not any("patience" in line or "bearing with" in line for line in plan.closing)
    # said once: a mirror that is already sorry they had to ask drops it
    assert plan.thanks not in compose.closing_for(plan, "I'm sorry you've had to ask four times about the double charge.")
    # the draft's own apology is enough
    ctx = Context(draft="Sorry for the wait. Refund issued.", customer_name="Ravi", agent_name="Tom",
                  customer_message=ctx.customer_message)
    assert "wait so long" not in compose.plan(ctx, "warm").thanks


def test_a_pet_put_to_sleep_is_a_loss():
    ctx = Context(draft="Her ashes are ready Friday.", customer_name="June", agent_name="Tom",
                  customer_message="Our old cat Pip was put to sleep at your practice on Monday. When can we collect her?")
    assert compose.plan(ctx, "warm").grief
    ctx = Context(draft="Try the sleep setting.", customer_name="June", agent_name="Tom",
                  customer_message="How do I put my laptop to sleep when the lid closes?")
    assert not compose.plan(ctx, "warm").grief


def test_a_refund_after_a_policy_no_is_no_refusal_but_a_part_refund_after_no_refund_is():
    assert compose.reply_act("Policy: drivers can't carry items upstairs. Refund of $80 processed 2/9.") != "refuses"
    assert compose.reply_act("Can't refund the whole fare. Refund of $12 processed today.") == "refuses"


def test_how_they_found_out_and_where_it_is_are_left_out_and_being_made_to_write_again_is_ours_to_be_sorry_for():
    ctx = Context("Refund issued.", "I just opened my banking app and you took the deposit twice. Please fix it.")
    assert compose.mirror_candidates(ctx)[0] == "I'm sorry to hear that we took the deposit twice."
    ctx = Context("Engineer booked Fri.", "The hot water in unit 12 has been off since Monday morning. I phoned the office twice.")
    mirrors = compose.mirror_candidates(ctx)
    assert mirrors[0] == "I'm sorry to hear that the hot water has been off since Monday morning."
    assert "I'm sorry you've had to phone the office twice." in mirrors
    ctx = Context("Refund sent today.", "This is the third time I am emailing about my refund. Still nothing.")
    assert compose.mirror_candidates(ctx)[0] == "I'm sorry this is the third time you've had to email us about your refund."


def test_a_protest_is_no_question_to_say_back_and_their_evidence_is_no_trouble():
    ctx = Context("Upload the photos by Friday.", "The seller sent a broken lamp and kept my money. How is this fair? Nothing has changed on the listing.")
    mirrors = compose.mirror_candidates(ctx)
    assert not any("fair" in m for m in mirrors)
    assert not any("nothing has changed" in m.lower() for m in mirrors)


def test_is_this_a_known_issue_is_said_back_as_a_question():
    assert compose._question_mirror("Is this a known issue?") == "I understand you'd like to know whether this is a known issue"
    assert compose._question_mirror("Is that a joke?") == ""  # sarcasm, not a question


def test_a_bare_plural_describing_their_data_is_no_situation():
    ctx = Context("Known bug, fixed in 1.2.", "Import fails on big sheets. Ubuntu 22.04, files are ~80MB exports from Sheets.")
    assert not any("files are" in m for m in compose.mirror_candidates(ctx))


def test_a_fix_that_wont_repeat_is_no_refusal_and_a_bare_noun_subject_is_no_mirror():
    assert compose.reply_act("Refund issued. Duplicate charge was our bug; fixed, won't repeat.") != "refuses"
    ctx = Context("Check spam folder.", "I can't log in and the reset email never comes. Username is marta.p")
    assert not any("username is" in m.lower() for m in compose.mirror_candidates(ctx))


def test_astonishment_is_said_back_as_what_happened_not_as_a_question():
    ctx = Context("Refund issued.", "The app charged me twice on 2 May?? Please fix it.")
    assert compose.mirror_candidates(ctx)[0] == "I'm sorry to hear that the app charged you twice on 2 May."
