"""Word lists the guard allows in model-written text besides the inputs' own words.

They hold function words and the language of empathy, and no word that could
claim an action, a fact or a promise (no "refund", "fixed", "sent", "will").
"""

NEUTRAL_WORDS = frozenset(
    """
    a an the and or but so yet if as than then that this these those there here it its it's
    i i'm i'd me my mine you you're you've you'd your yours yourself he she him her his hers they
    them their theirs we us our ours
    to of in on at by for from with about into onto over under after before during since until up
    out off down through across around between without within
    is are was were be been being am has have had having do does did doing can could may might
    must should would isn't aren't wasn't weren't hasn't haven't hadn't don't doesn't didn't
    can't cannot couldn't won't wouldn't shouldn't not no
    what which who whom whose when where why how all any each every both some such more most
    other another same very really so too also just still even again already only though although
    that's what's there's here's let's let
    now today tonight tomorrow yesterday right
    """.split()
)

EMPATHY_WORDS = frozenset(
    """
    sorry hear hearing understand understandable understood see imagine know knowing
    sounds sound must especially truly completely totally deeply genuinely absolutely certainly
    thank thanks thankful grateful appreciate sharing telling letting reaching asking writing checking
    patience kind kindness words lovely for
    trouble problem problems issue issues answer answers situation experience time long while wait waiting
    happened happening going through dealing facing getting having been keep keeps kept
    like whether means would want wanted hoping hoped trying tried
    something anything everything nothing way ways day days week weeks moment
    coming soon lot much many
    """.split()
)

BODY_WORDS = frozenset(
    """
    please you your use using find see follow check visit go head open try take select choose
    click tap it its this that which and then also when after before as by on at in for with from
    of the a an is are was were be has have had our we i i'm here there just simply now currently
    should can could may number link page via per both either or any step steps first next
    finally way able need needs needed sure make note
    """.split()
)

# Only where the customer speaks of a death or illness.
GRIEF_WORDS = frozenset("loss passing condolences difficult hard time thinking".split())
