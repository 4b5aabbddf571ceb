"""Function words that never make a search term on their own, for the languages sellers use most.

Compact on purpose: term discovery only needs to keep "the", "của" and "的" out of the n-gram edges.
"""

from __future__ import annotations

from wildcli.text.normalize import fold

_TEXT = """
a about above after again all also am an and any are as at be because been before being below
between both but by can could did do does doing down during each few for from further had has
have having he her here hers him his how i if in into is it its itself just me more most my no
nor not now of off on once only or other our out over own same she should so some such than
that the their them then there these they this those through to too under until up very was we
were what when where which while who whom why will with would you your yours via per amp
don't doesn't didn't can't won't isn't i'm it's that's you're we're they're i've i'll
el la los las un una unos unas y o de del al en con por para es que se su sus lo le les como
mas pero muy ya este esta estos estas ese esa hay son fue ser sin sobre entre tambien
le la les un une des et ou de du au aux en dans pour par sur avec est sont ce cette ces qui que
ne pas plus il elle ils nous vous je tu se sa son ses leur leurs mais donc
der die das den dem des ein eine einer eines einem und oder zu von mit fur auf ist im ins am
nicht sich auch als wie bei aus nach wir ihr sie er es ich du zum zur
il lo gli i una uno e o di da del della dei delle in con su per tra fra che non come piu sono
o os as um uma uns umas e ou do da dos das no na nos nas em com por para que nao mais se seu sua
het een en van te op met voor aan bij uit ook maar niet zijn is dat dit die wat wordt
yang dan di ke dari untuk dengan ini itu ada atau juga akan pada tidak bisa
và của là có cho các những một được với này trong không thì đã để khi ra vào lên rất cũng hay
и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее мне
было вот от меня еще нет о из ему для мы они их это
"""

STOP_WORDS = frozenset(_TEXT.split())

HAN_FUNCTION = frozenset("的了是在和与及或也都就很我你他她它们这那有个之其为而把被从对等")
"""Han characters that glue clauses together; a character n-gram starting or ending with one is
almost always a fragment across two words (的象, 了牙) rather than a term."""


def is_stop_word(word: str) -> bool:
    """Whether a normalised (case-folded) word is a function word, with or without its accents."""
    word = word.replace("’", "'")
    return word in STOP_WORDS or fold(word) in STOP_WORDS
