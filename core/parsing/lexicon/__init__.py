"""Word lists for the eight supported languages (all lower case), one module per language.

Only data lives here; the modules that use it build (and cache) their regexes lazily.
"""

from .base import WEAK_TIME_CUES, Lexicon, alternation, fragment_alternation
from .da import DA
from .de import DE
from .en import EN
from .es import ES
from .fr import FR
from .it import IT
from .nl import NL
from .pt import PT

SUPPORTED = ("en", "de", "fr", "es", "it", "pt", "nl", "da")

LEXICONS: dict[str, Lexicon] = {lx.code: lx for lx in (EN, DE, FR, ES, IT, PT, NL, DA)}

__all__ = ["DA", "DE", "EN", "ES", "FR", "IT", "LEXICONS", "NL", "PT", "SUPPORTED",
           "WEAK_TIME_CUES", "Lexicon", "alternation", "fragment_alternation"]
