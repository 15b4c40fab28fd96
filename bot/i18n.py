"""The language the bot speaks right now, and everything that depends on it.

One context variable holds the language of the person being answered (or of whoever
set up the reminder, feed or digest being sent): the request middleware and each job
set it, `Workers` carries it into the threads a request starts. Builders call `_()`,
`ngettext()` and the formatters below, which read it, so no builder takes a language.

English is the source language: the strings in the code are the English text. Other
languages are gettext catalogs under `bot/locales/<lang>/LC_MESSAGES/geese_bot.po`,
compiled to `.mo` by the build (`make`, or `pip install`: setup.py), never at run time.
Adding a language is adding its `.po` (README, "Adding a language").

Dates, times and numbers go through Babel, in the language's own patterns.
"""

from __future__ import annotations

import gettext as _gettext
import threading
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from contextvars import ContextVar
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date as _format_date
from babel.dates import format_datetime as _format_datetime
from babel.dates import format_time as _format_time
from babel.numbers import format_decimal as _format_decimal
from babel.numbers import format_percent as _format_percent

DOMAIN = "geese_bot"
LOCALES = Path(__file__).with_name("locales")
SOURCE = "en"
LANGUAGES = ("en", "fr")  # what a person may choose; each but English has a catalog
NAMES = {"en": "English", "fr": "Français"}  # each in itself: how a menu offers them

# How each language writes a date or a time: Babel patterns (CLDR), named by use.
PATTERNS: dict[str, dict[str, str]] = {
    "en": {
        "day": "EEE MMM d",  # Thu Dec 10
        "date": "MMM d, y",  # Dec 10, 2026
        "short": "MMM d",  # Dec 10
        "weekday": "EEEE",  # Thursday
        "time": "HH:mm",  # 09:00
        "day_time": "EEE MMM d, HH:mm",  # Thu Dec 10, 09:00
        "full": "EEE MMM d, y HH:mm",  # Thu Dec 10, 2026 09:00
    },
    "fr": {
        "day": "EEE d MMM",  # jeu. 10 déc.
        "date": "d MMM y",  # 10 déc. 2026
        "short": "d MMM",  # 10 déc.
        "weekday": "EEEE",  # jeudi
        "time": "HH 'h' mm",  # 09 h 00
        "day_time": "EEE d MMM, HH 'h' mm",  # jeu. 10 déc., 09 h 00
        "full": "EEE d MMM y HH 'h' mm",  # jeu. 10 déc. 2026 09 h 00
    },
}

_current: ContextVar[str] = ContextVar("language", default=SOURCE)
_catalogs: dict[str, _gettext.NullTranslations] = {SOURCE: _gettext.NullTranslations()}
_loading = threading.Lock()


class CatalogMissing(RuntimeError):
    """A language has a .po but no compiled .mo: the build did not run."""


def language_of_locale(locale: str | None) -> str | None:
    """The language of a Slack locale ("fr-CA" -> "fr"), or None for one we don't speak."""
    if not locale:
        return None
    code = locale.replace("_", "-").split("-")[0].lower()
    return code if code in LANGUAGES else None


def fold(word: str) -> str:
    """A typed word as commands match it: lower case, accents dropped ("Équipe" ->
    "equipe"), so a French word typed with or without its accents is one word."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", word.lower())
                   if not unicodedata.combining(ch))


def spoken_name(language: str) -> str:
    """A language named in the current one, for a sentence ("français" in French)."""
    return {"en": _("English"), "fr": _("French")}.get(language, language)


def current() -> str:
    return _current.get()


def activate(language: str) -> None:
    """Speak `language` in this context from now on (a request, a job)."""
    _current.set(_spoken(language))


def _spoken(language: str) -> str:
    """`language` when there is a catalog for it, else the source language."""
    return language if language in _catalogs or language in LANGUAGES else SOURCE


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Speak `language` inside the block: a channel post in its setter's language."""
    token = _current.set(_spoken(language))
    try:
        yield
    finally:
        _current.reset(token)


def _catalog(language: str) -> _gettext.NullTranslations:
    found = _catalogs.get(language)
    if found is not None:
        return found
    with _loading:
        if language not in _catalogs:
            _catalogs[language] = _load(language)
        return _catalogs[language]


def _load(language: str) -> _gettext.NullTranslations:
    compiled = LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
    if not compiled.exists():
        raise CatalogMissing(
            f"{compiled} is missing: the build compiles it (`make`, or "
            f"`pybabel compile -d bot/locales -D {DOMAIN}`)")
    with compiled.open("rb") as handle:
        return _gettext.GNUTranslations(handle)


def check() -> None:
    """Fail at start, not at a French speaker's first message, when a catalog is missing."""
    for language in LANGUAGES:
        _catalog(language)


def register(language: str, translations: _gettext.NullTranslations) -> None:
    """A catalog made in code (the tests' pseudo-language)."""
    _catalogs[language] = translations


def _(message: str) -> str:
    """`message` in the current language."""
    return _catalog(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of `singular`/`plural` for `n` in the current language (French says
    "1 objectif", "0 objectif": its plural rule differs from English's)."""
    return _catalog(_current.get()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks a string for the catalog without translating it yet (translated where
    shown, with `_`): module-level tables of labels."""
    return message


# -- dates, times and numbers ------------------------------------------------------------

def _locale() -> Locale:
    language = _current.get()
    return Locale.parse(language if language in PATTERNS else SOURCE)


def _pattern(form: str) -> str:
    language = _current.get()
    return PATTERNS.get(language, PATTERNS[SOURCE])[form]


def format_date(value: date | datetime, form: str = "date") -> str:
    """A date as the current language writes it; `form` names the pattern (PATTERNS)."""
    return _format_date(value, _pattern(form), locale=_locale())


def format_datetime(value: datetime, form: str = "full") -> str:
    """A datetime in its own time zone (convert first), as the language writes it."""
    return _format_datetime(value, _pattern(form), tzinfo=value.tzinfo or UTC,
                            locale=_locale())


def format_time(value: time | datetime, form: str = "time") -> str:
    tzinfo = (value.tzinfo or UTC) if isinstance(value, datetime) else None
    return _format_time(value, _pattern(form), tzinfo=tzinfo, locale=_locale())


def format_number(value: Any, pattern: str | None = None) -> str:
    """10,500 in English, 10 500 in French; `pattern` as Babel's ("#,##0.##")."""
    return _format_decimal(value, format=pattern, locale=_locale())


def format_percent(fraction: float, *, exact: bool = False) -> str:
    """0.6 -> "60%" in English, "60 %" in French; `exact` keeps the fraction's decimals
    (round it first)."""
    return _format_percent(fraction, locale=_locale(), decimal_quantization=not exact)


def read_number(text: str) -> float:
    """A number as a person of the current language types it: "10,500.5" in English,
    "10 500,5" in French (a French point is a decimal point too). ValueError if not."""
    text = "".join(text.split()).replace("\u202f", "").replace("\xa0", "")
    if _current.get() == "fr" and "." not in text:
        text = text.replace(",", ".")
    else:
        text = text.replace(",", "")
    return float(text)


def unchanged(_whom: Any) -> AbstractContextManager[None]:
    """The `speak` of a service built without languages (a test's): the current one."""
    return nullcontext()


# What a service is given to build a message in someone's language: `with speak(person):`.
Speak = Callable[[Any], AbstractContextManager[None]]
