"""Fact extraction on the inputs that trip naive regexes."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from warmitup.facts import Fact, contains_fact, extract


def kinds(text):
    return [(f.kind, f.text) for f in extract(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Refund of $249 processed.", ("money", "$249")),
        ("Paid €12.50 yesterday.", ("money", "€12.50")),
        ("Balance £1,200.99 due.", ("money", "£1,200.99")),
        ("The price is $40, and no discounts.", ("money", "$40")),  # the comma is not part of it
        ("A $3 minimum applies.", ("money", "$3")),
        ("Total 450 EUR incl. VAT.", ("money", "450 EUR")),
        ("Refund issued. 5-7 business days.", ("quantity", "5-7 business days")),
        ("Replies in 2 business days.", ("quantity", "2 business days")),
        ("Replace batteries (4x AA).", ("quantity", "4x AA")),
        ("Processed 3/14.", ("date", "3/14")),
        ("Due 2024-03-14 at noon.", ("date", "2024-03-14")),
        ("Starts 14 March 2024.", ("date", "14 March 2024")),
        ("Webinar Nov 6, 10:00 AM PT.", ("date", "Nov 6")),
        ("Webinar Nov 6, 10:00 AM PT.", ("time", "10:00 AM PT")),
        ("Fix expected 6pm.", ("time", "6pm")),
        ("Between 1-3 PM.", ("time", "1-3 PM")),
        ("Slots 8am-12pm only.", ("time", "8am-12pm")),
        ("Fix in version 2.4.1 next week.", ("version", "2.4.1")),
        ("Set DHCP to 10.0.4.0/24 now.", ("ip_address", "10.0.4.0/24")),
        ("Tracking 1Z999AA10123456784.", ("code", "1Z999AA10123456784")),
        ("Invoice INV-2024-0311 attached.", ("code", "INV-2024-0311")),
        ("Confirmation #77120.", ("code", "#77120")),
        ("Fax 555-0110.", ("phone", "555-0110")),
        ("Call +1 415 555 0100 today.", ("phone", "+1 415 555 0100")),
        ("Email partners@example.com. Thanks.", ("email", "partners@example.com")),
        ("Settings > Account > Export. CSV or JSON.", ("menu_path", "Settings > Account > Export")),
        ("Settings > Account > Export. CSV or JSON.", ("acronym", "CSV")),
        ("Hi {{ticket.requester.first_name}}, done.", ("placeholder", "{{ticket.requester.first_name}}")),
        ("Order shipped Tuesday.", ("weekday", "Tuesday")),
        ("No. US only.", ("limiter", "only")),
        ("Deposit is non-refundable per lease.", ("limiter", "non-refundable")),
        ("Installers can't assemble wall units.", ("negation", "can't")),
        ("Limit is 600 req/min. You hit 1,200.", ("number", "1,200")),
    ],
)
def test_extracts(text, expected):
    assert expected in kinds(text)


@pytest.mark.parametrize(
    "text, url",
    [
        ("Then use https://example.com/login.", "https://example.com/login"),
        ("See https://example.com/a?b=1, then retry.", "https://example.com/a?b=1"),
        ("(docs: https://example.com/limits)", "https://example.com/limits"),
        ("Wiki https://en.example.org/wiki/Foo_(bar) has it.", "https://en.example.org/wiki/Foo_(bar)"),
        ("Docs: https://example.dev/webhooks#rotate!", "https://example.dev/webhooks#rotate"),
    ],
)
def test_url_without_trailing_punctuation(text, url):
    assert ("url", url) in kinds(text)


def test_names_are_facts_when_given():
    assert ("name", "Ivy") in [(f.kind, f.text) for f in extract("Thank you, Ivy!", names=("Ivy", ""))]


def test_a_number_inside_a_longer_one_is_not_that_number():
    six_hundred = Fact("number", "600", 0, 3)
    assert not contains_fact("we have 1600 of them", six_hundred)
    assert not contains_fact("it costs 3.600", six_hundred)
    assert contains_fact("the limit is 600 req/min", six_hundred)


def test_negations_match_by_meaning_not_spelling():
    nope = Fact("negation", "Nope", 0, 4)
    assert contains_fact("I'm afraid not.", nope)
    assert not contains_fact("Sure, happy to.", nope)
    cant = Fact("negation", "can't", 0, 5)
    assert contains_fact("We cannot do that.", cant)
    assert not contains_fact("We can do that.", cant)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_extracts_without_error_and_each_fact_is_in_it(text):
    for fact in extract(text):
        assert fact.text in text
        assert contains_fact(text, fact)
