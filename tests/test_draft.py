"""Drafts as agents really write them: formatting kept byte for byte, the draft's own
greeting and sign-off read right, rude wording softened with the substance kept, and a
closing that fits what the reply does and how the customer feels. Every case is our own."""

import pytest

from warmitup import draft as draftlib
from warmitup.compose import CLOSINGS, customer_feeling, reply_act
from warmitup.guard import Context, check_reply, failed
from warmitup.pipeline import Rewriter, RewriteRequest


def rewrite(draft: str, message: str = "", customer: str = "Noor", agent: str = "Ben", engine=None) -> str:
    result = Rewriter(engine).rewrite(RewriteRequest(draft, message, customer, agent))
    assert all(c["ok"] for c in result.checks), [c for c in result.checks if not c["ok"]]
    return result.reply


FENCED = "Try starting it in safe mode:\n\n```\nsudo ./kiln --safe-mode  --log=/tmp/k.log\n  tail -f /tmp/k.log\n```\n\nthen send the log."


def test_a_fenced_block_comes_back_byte_for_byte():
    reply = rewrite(FENCED, "Kiln crashes at start.")
    block = "```\nsudo ./kiln --safe-mode  --log=/tmp/k.log\n  tail -f /tmp/k.log\n```"
    assert block in reply
    assert "Sudo" not in reply and "```." not in reply and ". ./kiln" not in reply


def test_inline_code_paths_and_commands_are_not_capitalised_or_punctuated():
    reply = rewrite("`npm ci` then rerun. config lives in ~/.kilnrc", "Install fails.")
    assert "`npm ci` then rerun." in reply
    assert "~/.kilnrc" in reply and "~/.kilnrc." not in reply


def test_markdown_links_mentions_and_references_are_kept_exactly():
    draft = "@dana-k see [the upgrade notes](https://example.org/notes#v3) and #418, fixed in v3.2"
    reply = rewrite(draft, "Upgrade broke my theme.")
    assert "[the upgrade notes](https://example.org/notes#v3)" in reply
    assert "#418" in reply and "v3.2" in reply
    assert reply.startswith("Hi @dana-k,")  # the draft addressed them: that address is the greeting


def test_a_numbered_list_and_two_paragraphs_keep_their_lines():
    draft = "Here is how:\n1. open Billing\n2. pick Invoices\n3. press Export\n\nThe file is a CSV."
    reply = rewrite(draft, "Where are my invoices?")
    assert "\n1. Open Billing\n2. Pick Invoices\n3. Press Export\n\nThe file is a CSV." in reply


def test_quoted_lines_and_emoji_stay():
    draft = "> the export is empty\nfixed now 🎉"
    reply = rewrite(draft, "The export is empty.")
    assert "> the export is empty\nFixed now 🎉" in reply


@pytest.mark.parametrize("draft, body, signoff", [
    ("Your seat is booked.\nPriya", "Your seat is booked.", "Best,\nPriya"),
    ("Your seat is booked.\n\nThanks,\nPriya", "Your seat is booked.", "Thanks,\nPriya"),
    ("Your seat is booked.\n-- Priya", "Your seat is booked.", "Best,\nPriya"),
    ("Your seat is booked.\nThank you Priya", "Your seat is booked.", "Thank you,\nPriya"),
    ("Your seat is booked.\n\nCheers", "Your seat is booked.", "Cheers,"),
])
def test_the_drafts_own_signoff_is_read_once(draft, body, signoff):
    read = draftlib.read(draft, "Priya")
    assert (read.body, read.signoff) == (body, signoff)
    reply = rewrite(draft, "Is my seat booked?", agent="Priya")
    assert reply.count("Priya") == 1 and "booked. Priya" not in reply and "Best,\nPriya\n" not in reply


def test_a_greeting_is_a_greeting_only_when_it_is_one():
    assert draftlib.split_address("Hey could you check the form again?")[0] == ""
    assert draftlib.split_address("Hey Noor, checked it.") == ("Hey Noor,", "Checked it.")
    assert draftlib.split_address("Hi @noor-b ,\n\nchecked it.")[0] == "Hi @noor-b,"


def test_rude_wording_is_softened_and_the_substance_kept():
    draft = "Hey could you stop sending useless screenshots? I already said the app WILL NOT GET DARK MODE. thx"
    reply = rewrite(draft, "When is dark mode coming? Here are more screenshots.")
    low = reply.lower()
    assert "useless" not in low and "could you stop" not in low and "hey could" not in low and "thx" not in low
    assert "I already said" not in reply and "WILL NOT" not in reply
    assert "will not get dark mode" in low  # the refusal stays a refusal
    assert "please avoid sending" in low


@pytest.mark.parametrize("curt, kind", [("Nope.", "I'm afraid not."), ("we need way more information than that", "we'll need a bit more information")])
def test_curt_phrases_become_courteous(curt, kind):
    assert kind.lower() in rewrite(curt, "Can you help?").lower()


def test_courtesy_rules_never_change_a_fact():
    line = "Stop sending 3 files at once, use #12."
    assert draftlib.courteous(line).count("3") == 1 and "#12" in draftlib.courteous(line)


@pytest.mark.parametrize("draft, message, act", [
    ("Call 911 now and leave the house. Don't use any switches.", "I smell gas in the kitchen, what do I do?", "urgent"),
    ("Could you send the error log from Settings > Logs?", "The sync keeps failing.", "asks"),
    ("Sorry, gift cards can't be refunded.", "Can I get my gift card refunded?", "refuses"),
    ("Your technician arrives Tuesday between 9 and 11am.", "When is my repair?", "plan"),
])
def test_the_closing_fits_what_the_reply_does(draft, message, act):
    assert reply_act(draftlib.read(draft).body) == act
    reply = rewrite(draft, message)
    if act in {"urgent", "asks", "refuses"}:
        assert "Does that work for you?" not in reply
    if act == "urgent":
        assert "Thanks for reaching out" not in reply and "safe" in reply.lower()


@pytest.mark.parametrize("message, feeling", [
    ("My husband passed away last month and I need to close his account.", "grief"),
    ("I'm scared my data is gone, the backup drive is clicking.", "fear"),
    ("Oh great, the app crashed again. So helpful.", "sarcasm"),
    ("Wow, fourth time my pickup was missed. Really great service.", "sarcasm"),
    ("This is unacceptable, third time I've asked!!", "anger"),
    ("Your team is amazing, the new editor is wonderful!", "praise"),
])
def test_the_customers_feeling_is_read(message, feeling):
    assert customer_feeling(message) == feeling


def test_no_thanks_for_a_sarcastic_customer_and_fear_is_acknowledged():
    sarcastic = rewrite("Fix ships Friday.", "Oh great, the app crashed again. So helpful.")
    assert "Thank" not in sarcastic
    scared = rewrite("Your backups are safe; restore from Settings > Backups.", "I'm scared my data is gone.")
    assert "worrying" in scared and "Does that work for you?" not in scared


def test_closings_are_stable_for_one_conversation_and_vary_across_them():
    draft = "Your parcel left the depot today."
    first = rewrite(draft, "Where is my parcel?")
    assert rewrite(draft, "Where is my parcel?") == first
    closings = {rewrite(draft, f"Where is my parcel number {n}?").split("\n\n")[-2] for n in range(12)}
    assert len(closings) >= 2
    assert all(set(options) for options in CLOSINGS.values())


def test_a_thank_you_note_gets_no_question():
    reply = rewrite("Thanks so much for the kind words, I'll pass them on to the team!", "Your support team is wonderful.")
    assert "?" not in reply


def test_every_deterministic_reply_passes_the_guard_with_code():
    ctx = Context(FENCED, "Kiln crashes at start.", "Noor", "Ben")
    reply = rewrite(FENCED, "Kiln crashes at start.")
    assert not failed(check_reply(reply, ctx))


def test_private_use_characters_in_a_draft_are_kept_and_break_nothing():
    draft = "see `x` \ue000 and #12 \uf8ff done"
    reply = rewrite(draft, "Help?")
    assert "\ue000" in reply and "\uf8ff" in reply and "`x`" in reply


@pytest.mark.parametrize("draft", ["v0 ships today", "npm ci first", "x.y is the key"])
def test_a_code_like_first_word_is_not_capitalised(draft):
    assert rewrite(draft, "When?").split("\n\n")[1].startswith(draft.split()[0])


def test_a_clear_typing_slip_in_the_draft_is_put_right():
    reply = rewrite("The fix is alrwady in the beta, seperate from Friday's release.", "Is the fix out yet?")
    assert "The fix is already in the beta, separate from Friday's release." in reply


@pytest.mark.parametrize("draft", [
    "Restart the systemd unit and check the backend.",  # words of the trade no dictionary has
    "The iframe loads the signin page.",
    "Set `recieve_timeout` in https://example.com/recieve then retry.",  # code and links are as written
    "Kubectl said the podspec was wrong.",  # not lowercase, or no slip of a common word
])
def test_what_is_not_a_clear_slip_is_left_as_written(draft):
    body = rewrite(draft, "Help?").split("\n\n")[1]
    for word in ("systemd", "backend", "iframe", "signin", "recieve_timeout", "example.com/recieve", "podspec"):
        assert (word in draft) == (word in body), word


def test_the_customers_own_spelling_of_a_word_is_kept():
    reply = rewrite("Your wallett is synced now.", "My wallett app won't sync.")
    assert "wallett" in reply.split("\n\n")[1]


def test_slips_of_grammar_made_typing_fast_are_put_right():
    body = rewrite("Use it as long a you keep the notice. You could of asked first. First this is a bug.", "May I?").split("\n\n")[1]
    assert body == "Use it as long as you keep the notice. You could have asked first. This is a bug."


def test_british_spelling_is_no_slip():
    draft = "Our organisation will apologise at the centre; the licence and defence terms are realised."
    assert rewrite(draft, "Hello?").split("\n\n")[1] == draft


def test_capitals_that_are_facts_are_not_taken_for_shouting():
    """A run of capitals is calmed to lower case unless it holds a fact: "10:00 AM PT"
    and an invoice code are what the customer must read exactly as written."""
    assert draftlib.tidy_prose("10:00 AM PT INV-2024-0311.") == "10:00 AM PT INV-2024-0311."
    assert draftlib.courteous("Call at 10:00 AM PT INV-2024-0311.") == "Call at 10:00 AM PT INV-2024-0311."
    assert draftlib.tidy_prose("WE WILL NOT REFUND THIS ORDER.") == "We will not refund this order."


def test_an_abbreviation_does_not_start_a_sentence():
    assert draftlib.tidy_prose("Add your VAT no. under Billing.") == "Add your VAT no. under Billing."
    assert draftlib.tidy_prose("No. US only.") == "I'm afraid not. US only."
    assert draftlib.tidy_prose("Team on the way, est. arrival 4pm.") == "Team on the way, est. arrival 4pm."


def test_contractions_typed_without_their_apostrophe_are_mended():
    assert draftlib.tidy("Cancellation didnt go through. its in the queue ?") == \
        "Cancellation didn't go through. It's in the queue?"
    assert draftlib.tidy("Its in-app purchases are off.") == "Its in-app purchases are off."  # a possessive stays


def test_a_curt_pointer_to_the_docs_is_softened_and_a_dupe_named():
    assert draftlib.tidy_prose("Read the docs. The port is set in config.toml.") == \
        "This is covered in the docs. The port is set in config.toml."
    assert draftlib.tidy_prose("Dupe of #88. Closing.") == "This is a duplicate of #88. I'm closing this."


def test_a_name_with_a_team_or_title_beneath_is_the_sign_off():
    read = draftlib.read("Hi Bea,\n\nRefunded night of 3 May, £189. Reservation 77312.\n\nMarco\nGuest Relations", "Marco")
    assert read.body == "Refunded night of 3 May, £189. Reservation 77312."
    assert read.signoff == "Best,\nMarco\nGuest Relations"


def test_a_subjectless_act_of_ours_says_who_did_it():
    """"Moved you to the 9am class." is ours: "We moved you ..." (a rewrite made it "It was moved
    you"). A state ("Fixed in 2.1"), a request ("Need the receipt") and an imperative stay."""
    assert draftlib.tidy_prose("Moved you to the 9am class. Sent the receipt by email.") == \
        "We moved you to the 9am class. We sent the receipt by email."
    assert draftlib.tidy_prose("Added VAT number to invoice 7741.") == "We added VAT number to invoice 7741."
    # A state says what it is about: "This is fixed in 2.1", never "We fixed in 2.1"
    assert draftlib.tidy_prose("Fixed in 2.1, thanks.") == "This is fixed in 2.1, thanks."
    for kept in ("Need the receipt number.", "Embed the widget with the snippet.",
                 "Refunded night of 3 May, £189.", "Worried the fix broke it? It didn't."):
        assert draftlib.tidy_prose(kept) == kept


@pytest.mark.parametrize("draft, reads", [
    ("Apologies for the wait, the patch is live now", "Apologies for the wait. The patch is live now."),
    ("Sorry about the mix-up, your seat is 14C.", "Sorry about the mix-up. Your seat is 14C."),
    ("Sorry for the wait, and thank you for the logs.", "Sorry for the wait, and thank you for the logs."),
])
def test_an_apology_joined_to_the_news_by_a_comma_is_two_sentences(draft, reads):
    assert reads in rewrite(draft, "Any news on the outage?")


@pytest.mark.parametrize("line, reads", [
    ("First this is a bug, not a question.", "this is a bug, not a question"),  # an argument's point: no number
    ("Second charge is a hold, it drops off.", "The second charge is a hold"),   # the second charge, no list
    ("First due 15th, second due 30th.", "First due 15th"),
])
def test_an_ordinal_gets_a_comma_or_goes_only_when_it_opens_a_list(line, reads):
    assert draftlib.courteous(line).startswith(reads)


@pytest.mark.parametrize("line, reads", [
    ("Pkg held at the depot. Acct on hold 30 days.", "Package held at the depot. Your account is on hold for 30 days."),
    ("Call back tmrw w/ your order number.", "Call back tomorrow with your order number."),
    ("Til then use the web app.", "Until then, use the web app."),
    ("Nothing we can do til Monday.", "Unfortunately, there's nothing we can do until Monday."),
    ("Can't do that, policy.", "We can't do that because of our policy."),
    ("thx!! sent it on.", "Thanks! We sent it on."),
    ("Works for me on 2.0. Check your config.", "It works as expected on my side on 2.0. It may be worth checking your config."),
    ("Can extend the trial a week if you want.", "We can extend the trial a week if you want."),
    ("Known issue, dupe of #51.", "This is a known issue, a duplicate of #51."),
    ("Known bug. Tracking 1Z77. Should arrive Monday.", "This is a known bug. The tracking number is 1Z77. It should arrive Monday."),
    ("Done.", "That's done."),
    ("Refunded $40 to your card.", "We refunded $40 to your card."),   # an act of ours with an amount
])
def test_shorthand_and_shrugs_read_as_words(line, reads):
    assert draftlib.tidy(line) == reads


def test_a_letter_left_out_of_a_long_word_is_put_back_and_a_typed_dont_is_the_same_no():
    assert draftlib.courteous("The replacment is on its way, dont need the old one back.") == \
        "The replacement is on its way, don't need the old one back."
    assert draftlib.courteous("Check the backend.") == "Check the backend."  # a short word: no guess


@pytest.mark.parametrize("line, reads", [
    ("Should arrive by tommorow, dont need return the old one.", "It should arrive by tomorrow, don't need to return the old one."),
    ("Held until dr reviews it.", "Held until the doctor reviews it."),
    ("Need your policy no and a photo.", "We need your policy number and a photo."),
    ("Call Dr Lee's office.", "Call Dr Lee's office."),
])
def test_common_slips_and_shorthand_with_one_reading_are_put_right(line, reads):
    assert draftlib.tidy(draftlib.courteous(line)) == reads


@pytest.mark.parametrize("line, reads", [
    ("Ive put a one off credit of €20 on ur account tho.", "I've put a one off credit of €20 on your account though."),
    ("As per my last email, the bill is on hold.", "As I mentioned in my last email, the bill is on hold."),
])
def test_an_agents_texting_shorthand_and_an_impatient_opener_are_mended(line, reads):
    assert draftlib.tidy(draftlib.courteous(line)) == reads


def test_no_is_the_abbreviation_of_number_only_before_a_figure_or_in_lower_case():
    assert "claim number 5512" in draftlib.courteous("Quote claim no. 5512 when you call.", set(), "")
    assert "your order number 4471" in draftlib.courteous("See order No. 4471.", set(), "")  # not cut at "No."
    assert draftlib.courteous("order No.", set(), "") == "order No."  # the answer "No" is kept


@pytest.mark.parametrize("draft, reads", [
    ("Refund issued. 3-5 business days.", "The refund has been issued. It takes 3-5 business days."),
    ("Approx 2 hours once booked.", "It takes approximately 2 hours once booked."),
    ("Need photo of the label before we can start.", "We need a photo of the label before we can start."),
    ("Quote $340 for the new hinge.", "The quote is $340 for the new hinge."),
    ("Not a fault; the timer resets at midnight.", "This is not a fault; the timer resets at midnight."),
    ("Not broken, just paused.", "It's not broken, just paused."),
    ("Closing as dupe.", "I'm closing this as a duplicate."),
    ("Final decision.", "This is our final decision."),
    ("Dark theme not supported yet.", "The dark theme is not supported yet."),
    ("Scanned receipts not valid, originals only.", "Scanned receipts are not valid, originals only."),
    ("Call b4 noon w/ 2 forms of ID.", "Call before noon with 2 forms of ID."),
    ("Held bc the address changed.", "Held because the address changed."),
    ("fyi the code expires tonight.", "FYI the code expires tonight."),
    ("Tracking is emailed once packed, as already explained.", "Tracking is emailed once packed."),
    ("As already explained the code is on the box.", "As mentioned before the code is on the box."),
])
def test_a_telegram_with_one_reading_is_said_as_a_sentence(draft, reads):
    assert draftlib.courteous(draft, set(), "") == reads


@pytest.mark.parametrize("draft", [
    "Need help with anything else?",     # a question
    "Need to restart first.",            # whose need? the customer's, most likely: as written
    "Windows not supported.",            # one word: a name, or many windows?
    "Docs say not supported.",           # a verb in it: no noun phrase to give "is"
])
def test_a_telegram_with_two_readings_is_left(draft):
    assert draftlib.courteous(draft, set(), "") == draft


@pytest.mark.parametrize("line, reads", [
    # z-class telegrams of session 13, each a sentence with one reading
    ("Replacement sent, arrives May 26.", "The replacement has been sent, and it arrives May 26."),
    ("Refund issued, will post in 5 days.", "The refund has been issued, and it will post in 5 days."),
    ("Regression from #88. Fixed in main, will ship in 2.0.1.",
     "This is a regression from #88. This is fixed in main, and it will ship in 2.0.1."),
    ("dup of #51, closing.", "This is a duplicate of #51, so I'm closing this."),
    ("Can do partial refund 25% ($9.50).", "We can do a partial refund of 25% ($9.50)."),
    ("Not a bug - by design.", "This is not a bug: it's by design."),
    ("Voucher optional but helps.", "A voucher is optional but helps."),
    ("Fees non-refundable per clause 4.", "Fees are non-refundable per clause 4."),
    ("Form not on file.", "The form is not on file."),
    ("Card ending 9921 frozen.", "Your card ending 9921 has been frozen."),
    ("Seat 22A.", "Your seat is 22A."),
    ("Rebooked on TP 88, 3 May.", "We've rebooked you on TP 88, 3 May."),
    ("Appeal upheld.", "The appeal has been upheld."),
    ("Sent new router, ETA Mon.", "We sent a new router, ETA Mon."),
    ("Change your pw and check 3 txns.", "Change your password and check 3 transactions."),
    ("Expired card on file.", "Expired card on file."),      # the card we hold has expired
    ("Windows not supported.", "Windows not supported."),    # a name: one or many?
    ("Refund issued, it takes 5 days.", "Refund issued, it takes 5 days."),  # a clause of its own
])
def test_a_telegram_becomes_a_whole_sentence_or_stays(line, reads):
    assert draftlib.courteous(line) == reads


@pytest.mark.parametrize("line, reads", [
    ("Dup charge Mar 3 ($18) reversed.", "The duplicate charge from Mar 3 ($18) has been reversed."),
    ("Keep old one till new one active.", "Please keep the old one until the new one is active."),
    ("Flight dep 07:40, so eligible for EUR 400 comp.", "Flight departing at 07:40, so you're eligible for EUR 400 compensation."),
    ("Keys ready after 3pm at reception.", "The keys will be ready after 3pm at reception."),
    ("Charger included.", "The charger is included."),
    ("Order 55-1203.", "The order number is 55-1203."),
    ("Code expires in 10 min anyway.", "Code expires in 10 min."),
    ("Added 2 seats to the plan.", "We added 2 seats to the plan."),
    ("Delayed 2 days.", "Delayed 2 days."),                            # not ours to have delayed
    ("Payments clear Monday.", "Payments clear Monday."),              # "clear" is the verb
    ("See the attached screenshot.", "See the attached screenshot."),  # "attached" describes it
])
def test_more_telegrams_become_sentences_or_stay(line, reads):
    assert draftlib.courteous(line) == reads


def test_points_of_an_argument_lose_their_numbers_and_steps_keep_them():
    assert draftlib.tidy(draftlib.courteous("First this is a bug tracker not a chat. Second this is not a support line.")) == \
        "This is a bug tracker, not a chat. This is not a support line."
    assert draftlib.tidy(draftlib.courteous("First, we need your receipt. Second, it ships Monday.")) == \
        "First, we need your receipt. Second, it ships Monday."


@pytest.mark.parametrize("line, reads", [
    # a bare condolence or apology, said whole
    ("Sorry for loss. We will close the account.", "I'm so sorry for your loss. We will close the account."),
    ("Sorry for delay.", "I'm sorry for the delay."),
    # what this isn't, and why
    ("Not our charge, we bill in EUR.", "This is not our charge: we bill in EUR."),
    # what we did, and whose the error was
    ("Checked, payment was never captured - our mistake.", "I've checked, and the payment was never captured; that was our mistake."),
    ("Escalated to the night manager.", "I've escalated this to the night manager."),
    # a person fully booked; a visit booked; the earliest one there is; how long a hold lasts
    ("Dr. Okafor booked til 3 Dec.", "Dr. Okafor is booked until 3 Dec."),
    ("Plumber booked Wed 1-5.", "A plumber is booked for Wed 1-5."),
    ("Earliest w/ Dr. Imre: Mon 9 Dec 8:15.", "The earliest with Dr. Imre is Mon 9 Dec 8:15."),
    ("Reply YES to keep it; slot held 3h only.", "Please reply YES to keep it; the slot is held for 3h only."),
    ("Code valid 10 min.", "Code valid for 10 min."),
    # the charge of an amount, the case of a number, the money's way back
    ("Charge $18.40 legit: renewal from 2 Feb.", "The charge of $18.40 is legitimate: renewal from 2 Feb."),
    ("QX-20417 approved.", "QX-20417 has been approved."),
    ("Refunded $75 to your Visa, shows in 2-4 days.", "We refunded $75 to your Visa, and it shows in 2-4 days."),
    # a request, asked; "order no." that ends a sentence keeps its full stop
    ("Contact your airline.", "Please contact your airline."),
    ("Send photo of the box + order no. Can't replace it before then.", "Please send a photo of the box and order number. We can't replace it before then."),
    ("Quote acct no. when you call.", "Quote account number when you call."),
    ("Doors open 10 min before.", "Doors open 10 min before."),  # when, not for how long
    ("We checked the logs, shows nothing.", "We checked the logs, shows nothing."),  # no money on its way
    # whose the error was; what was done when, its reference and how long; a check still to finish
    ("Late fee removed, our side not yours.", "The late fee has been removed, and the error was on our side, not yours."),
    ("Mistake on our end, not yours.", "Mistake on our end, not yours."),
    ("Sent today, $40, ref CR-118, 2-3 biz days.", "It was sent today, $40 (reference CR-118), and it takes 2-3 business days."),
    ("Can't refund til return inspection done.", "We can't refund until the return inspection is done."),
    ("Rebooked on AF 22, dep 09:10 -> arr 11:45.", "We've rebooked you on AF 22, departing at 09:10, arriving at 11:45."),
    ("Bring photo ID + booking code.", "Please bring photo ID and booking code."),
])
def test_telegrams_of_the_eighth_batch_become_sentences_or_stay(line, reads):
    assert draftlib.courteous(line) == reads
    assert draftlib.courteous(reads) == reads  # read again (the tidy step does), nothing more changes: never "is is"


@pytest.mark.parametrize("line, reads", [
    ("Can add u to the list if u want.", "We can add you to the list if you want."),
    ("Plan u is cheaper.", "The plan u is cheaper."),  # a name, not "you"
    ("Claim it w/in 30 days.", "Claim it within 30 days."),
    ("Tasting menu avail on weekends.", "The tasting menu is available on weekends."),
    ("Dinner not incl., €20/pp.", "Dinner is not included, €20/pp."),
    ("Cover ended eff. today, no further charges.", "Cover ended effective today, no further charges."),
    ("Full refund $12.50 issued + $5 credit.", "A full refund of $12.50 has been issued, plus $5 credit."),
    ("Refund of £30 processed 2/2.", "The refund of £30 was processed 2/2."),
    ("Upgrade to another plan not possible, contract is fixed.", "Upgrade to another plan is not possible, contract is fixed."),
    ("Landlord's form not received yet.", "Landlord's form has not been received yet."),
    ("Called clinic 10am, they'll confirm.", "We called the clinic at 10am, and they'll confirm."),
    ("Saver fare, so no changes.", "This is a saver fare, so no changes."),
    ("Confirmed outage in the north region.", "We've confirmed an outage in the north region."),
    ("ETA for repair approx 3h, not guaranteed.", "The ETA for the repair is approximately 3h, but it's not guaranteed."),
    ("Pay $8 at reception, block lifts within 1 hr.", "Please pay $8 at reception, and the block lifts within 1 hr."),
    ("Deposit held till resolved.", "The deposit is held until it's resolved."),
    ("Don't factory reset, it wipes the keys.", "Please don't factory reset, as it wipes the keys."),
    ("Send receipts to claim page.", "Send receipts to claim page."),  # the claim page: "claim" is no verb here
    ("Chg reversed.", "The charge has been reversed."),
    ("No cancel on file from 4 May.", "There's no cancellation on file from 4 May."),
    ("Basic plan stays active til 9 May.", "Your basic plan stays active until 9 May."),  # "stays" is its verb: no "are"
    ("Offer remains available through June.", "The offer remains available through June."),
    ("Cancelled. No refund for current term; access until 1 Sep.", "That's been cancelled. There's no refund for the current term; you have access until 1 Sep."),
    ("Meals not included.", "Meals are not included."),
    ("Windows not supported.", "Windows not supported."),  # a name, maybe
    ("Bluetooth is off on device.", "Bluetooth is off on your device."),
    ("Get the letter from vet and reply with receipt.", "Get the letter from the vet and reply with a receipt."),
    ("Add the pass before next trip.", "Add the pass before your next trip."),
    ("Can upgrade for $9 fee.", "We can upgrade for a $9 fee."),
    ("Check the in app purchases.", "Check the in app purchases."),  # a compound, left
    ("Escalated to support lead (Omar); if not fixed by Mon call him direct 555-0199.",
     "I've escalated this to our support lead (Omar); if it's not fixed by Mon, call him directly on 555-0199."),
    ("If it fails try again.", "If it fails, try again."),
    ("If it jams use the app or call 555-0100.", "If it jams, use the app or call 555-0100."),  # never "or, call"
    ("If the gate won't open use the app or call us.", "If the gate won't open, use the app or call us."),
    ("If nothing works dial `*#31#` + send a photo.", "If nothing works dial `*#31#` + send a photo."),  # no comma after code or a sign
    ("Ask if they can check it.", "Ask if they can check it."),
    ("Card used abroad -> we blocked it.", "Card used abroad, so we blocked it."),
    ("Login from Oslo not you -> we reset your password.", "The login from Oslo was not you, so we reset your password."),
    ("Settings -> Privacy -> Export.", "Settings -> Privacy -> Export."),  # a path, left

    ("Closed today, last payment was 3 Jun.", "It was closed today, and the last payment was 3 Jun."),
])
def test_telegrams_of_the_ninth_batch_become_sentences_or_stay(line, reads):
    assert draftlib.courteous(line) == reads
    assert draftlib.courteous(reads) == reads  # read again (the tidy step does), nothing more changes: never "is is"
