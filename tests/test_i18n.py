"""Every word the bot says is in the catalog and translated; every payload keeps Slack's
rules in every language, and in a pseudo-language 40% longer than English."""

from __future__ import annotations

import ast
import gettext
import re
from datetime import UTC, datetime

import pytest
from babel.dates import get_day_names, get_month_names
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot import i18n
from bot.builders import REGISTRY, Sample, payload
from tests.helpers import ROOT
from tests.test_builders import check
from tests.test_payload_limits import markup

PO = {lang: ROOT / "bot" / "locales" / lang / "LC_MESSAGES" / "geese_bot.po"
      for lang in i18n.LANGUAGES if lang != i18n.SOURCE}
PLACEHOLDER = re.compile(r"(?<!\{)\{(\w*)[^{}]*\}(?!\})")
OPEN, CLOSE = "⟦", "⟧"


def extracted() -> dict[str, tuple[str, ...]]:
    """msgid -> every form, as `pybabel extract -F babel.cfg` reads the code now."""
    found = {}
    for directory in ("bot", "handlers"):
        for _file, _line, message, _comments, _context in extract_from_dir(
                ROOT / directory, method_map=[("**.py", "python")]):
            forms = message if isinstance(message, tuple) else (message,)
            found[forms[0]] = forms
    return found


def catalog(lang: str):
    with PO[lang].open("rb") as handle:
        return read_po(handle, locale=lang)


@pytest.mark.parametrize("lang", sorted(PO))
def test_every_string_of_the_code_is_translated(lang):
    code = extracted()
    messages = {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalog(lang) if m.id}
    missing = sorted(set(code) - set(messages))
    assert missing == [], f"not in {PO[lang].name} (run `make catalog`, then translate)"
    untranslated = sorted(mid for mid in code if not all(
        isinstance(s, str) and s for s in (messages[mid].string if isinstance(
            messages[mid].string, tuple) else (messages[mid].string,))))
    assert untranslated == []
    assert sorted(mid for mid in code if messages[mid].fuzzy) == []
    for mid, message in messages.items():
        if mid not in code:
            continue
        source = code[mid]
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for translated in strings:  # a placeholder lost or invented breaks .format()
            assert sorted(set(PLACEHOLDER.findall(translated))) == sorted(
                set(PLACEHOLDER.findall(source[-1]))), (mid, translated)


@pytest.mark.parametrize("lang", sorted(PO))
def test_the_catalog_keeps_nothing_the_code_no_longer_says(lang):
    code = extracted()
    stale = sorted(m.id if isinstance(m.id, str) else m.id[0] for m in catalog(lang)
                   if m.id and (m.id if isinstance(m.id, str) else m.id[0]) not in code)
    assert stale == [], "run `make catalog`: these are gone from the code"


def test_the_template_is_what_pybabel_extracts_today():
    with (ROOT / "bot" / "locales" / "geese_bot.pot").open("rb") as handle:
        template = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    assert template == set(extracted()), "run `make catalog`"


def test_the_compiled_catalog_is_the_po_of_today():
    """The build compiled it (make, setup.py); a .mo older than its .po is a stale one."""
    for lang, po in PO.items():
        mo = po.with_suffix(".mo")
        assert mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime, \
            f"{mo} is missing or older than its .po: run `make`"
        with mo.open("rb") as handle:
            compiled = gettext.GNUTranslations(handle)
        for message in list(catalog(lang))[1:20]:
            if isinstance(message.id, str):
                assert compiled.gettext(message.id) == message.string


# -- a pseudo-language: every builder, accented and 40% longer ----------------------------

ACCENTED = str.maketrans("aeiouyAEIOUYcnsz", "áéîõüýÅÉÎÕÜÝçñšž")
KEEP = re.compile(r"(\{[^{}]*\}|`[^`]*`|<[^<>]*>|:[a-z0-9_+-]+:|\n)")


def pseudo(message: str) -> str:
    """Accented outside placeholders, code, links and emoji; 40% longer. Each run of the
    catalog's own text is marked, and only that: what fills a placeholder stays outside
    the marks, so a test sees whether it is data or words the bot forgot to translate."""
    parts = KEEP.split(message)
    shown = "".join(part if KEEP.fullmatch(part) or not part else
                    OPEN + part.translate(ACCENTED) + CLOSE for part in parts)
    return shown + OPEN + "~" * (len(message) * 2 // 5) + CLOSE


class Pseudo(gettext.NullTranslations):
    def gettext(self, message):
        return pseudo(message)

    def ngettext(self, singular, plural, n):
        return pseudo(singular if n == 1 else plural)


@pytest.fixture
def pseudo_language():
    i18n.register("xx", Pseudo())
    with i18n.speaking("xx"):
        yield


def _data() -> list[str]:
    """What the builders are given to show (bot/builders.py's literals and the sample's
    name and text), longest first: text a person or 7Geese wrote, not the bot's words."""
    source = (ROOT / "bot" / "builders.py").read_text()
    literals = [node.value for node in ast.walk(ast.parse(source))
                if isinstance(node, ast.Constant) and isinstance(node.value, str)]
    found = {text for text in [*literals, Sample().name, Sample().text] if len(text) > 1}
    found |= {text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
              for text in found}
    return sorted(found, key=len, reverse=True)


def _data_words() -> set[str]:
    """Words that are not the bot's own though they stand outside the catalog: the
    names Babel gives dates, and each language's own name."""
    words: set[str] = set()
    for width in ("abbreviated", "wide"):
        words |= {n.lower() for n in get_month_names(width, locale="en").values()}
        words |= {n.lower() for n in get_day_names(width, locale="en").values()}
    # Each language's own name, as a language menu shows it ("Français" for everyone)
    names = {w.lower() for name in i18n.NAMES.values() for w in re.findall(r"[A-Za-z]+", name)}
    return words | names | {"utc"}


def _outside_the_catalog(text: str, data: list[str]) -> list[str]:
    for shown in data:  # what the builder was given, shown as given
        text = text.replace(shown, " ")
    while True:  # innermost first: a placeholder may hold another catalog string
        stripped = re.sub(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}", " ", text)
        if stripped == text:
            break
        text = stripped
    # Commands, mentions and links, emoji (and a command cut short by a clip at the end)
    text = re.sub(r"`[^`]*`|`[^`]*$|<[^<>]*>|:[a-z0-9_+-]+:|https?://\S+", " ", text)
    return re.findall(r"[A-Za-z]{3,}", text)


def _texts(made: dict) -> list[str]:
    plain: list[str] = []

    def walk(node):
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            if node.get("type") == "plain_text" and isinstance(node.get("text"), str):
                plain.append(node["text"])
            for key, value in node.items():
                if key not in ("initial_value", "value", "url", "action_id", "block_id"):
                    walk(value)

    walk(made)
    fallback = [made["text"]] if isinstance(made.get("text"), str) else []
    return fallback + markup(made) + plain


@pytest.mark.parametrize("builder", REGISTRY, ids=[b.name for b in REGISTRY])
def test_each_builder_in_a_longer_language_keeps_slacks_rules(builder, pseudo_language):
    check(builder, Sample())
    check(builder, Sample.large())


@pytest.mark.parametrize("builder", REGISTRY, ids=[b.name for b in REGISTRY])
def test_each_builder_says_only_catalog_words(builder, pseudo_language):
    """A word of the bot's own outside the catalog would stay English for everyone."""
    allowed, data = _data_words(), _data()
    loose = sorted({w for text in _texts(payload(builder, Sample()))
                    for w in _outside_the_catalog(text, data) if w.lower() not in allowed})
    assert loose == [], f"{builder.name} says these outside the catalog (wrap them in _())"


@pytest.mark.parametrize("builder", REGISTRY, ids=[b.name for b in REGISTRY])
def test_each_builder_in_french_keeps_slacks_rules(builder):
    with i18n.speaking("fr"):
        check(builder, Sample())
        check(builder, Sample.large())


# -- dates, times and numbers ---------------------------------------------------------------

def test_french_dates_times_and_numbers_are_written_the_french_way():
    moment = datetime(2026, 12, 10, 9, 0, tzinfo=UTC)
    with i18n.speaking("fr"):
        assert i18n.format_datetime(moment) == "jeu. 10 déc. 2026 09 h 00"
        assert i18n.format_number(10500).replace("\u202f", " ") == "10 500"
        assert i18n.format_percent(0.6).replace("\xa0", " ") == "60 %"
        assert i18n.read_number("12,5") == 12.5
        assert i18n.read_number("10 500") == 10500
    with i18n.speaking("en"):
        assert i18n.format_datetime(moment) == "Thu Dec 10, 2026 09:00"
        assert i18n.format_number(10500) == "10,500"
        assert i18n.read_number("10,500.5") == 10500.5


def test_schedules_describe_themselves_in_the_language_spoken():
    from bot.work.schedule import Schedule

    with i18n.speaking("fr"):
        assert Schedule(16, 0, "fri", "America/Toronto").describe() == \
            "16 h 00 le vendredi (America/Toronto)"
        assert "premier lundi" in Schedule(9, 30, "monthly:mon", "UTC").describe()
        notes = Schedule(2, 30, "daily", "America/Toronto").dst_notes(
            datetime(2027, 3, 1, tzinfo=UTC), horizon_days=30)
        assert notes and "14 mars 2027" in notes[0] and "03 h 30" in notes[0]
    with i18n.speaking("en"):
        assert Schedule(16, 0, "fri", "America/Toronto").describe() == \
            "16:00 on Fridays (America/Toronto)"


def test_a_key_result_value_in_french():
    from bot.objectives import values

    with i18n.speaking("fr"):
        assert values.show(values.PERCENT, 60).replace("\xa0", " ") == "60 %"
        assert values.show(2, 10500).replace("\u202f", " ") == "10 500 $"
        assert values.parse_value(values.NUMBER, "12,5") == (12.5, None)
        assert values.parse_value(values.DONE, "fait") == (1.0, None)
    with i18n.speaking("en"):
        assert values.show(2, 10500) == "$10,500"
        assert values.parse_value(values.NUMBER, "1,250") == (1250.0, None)


def test_a_language_of_slack_is_one_the_bot_speaks_or_none():
    assert i18n.language_of_locale("fr-CA") == "fr"
    assert i18n.language_of_locale("fr-FR") == "fr"
    assert i18n.language_of_locale("en-GB") == "en"
    assert i18n.language_of_locale("de-DE") is None
    assert i18n.language_of_locale(None) is None


def test_a_missing_catalog_fails_at_start_with_what_to_run(tmp_path, monkeypatch):
    monkeypatch.setattr(i18n, "LOCALES", tmp_path)
    monkeypatch.setattr(i18n, "_catalogs", {"en": gettext.NullTranslations()})
    with pytest.raises(i18n.CatalogMissing, match="make"):
        i18n.check()


def test_the_pseudo_language_is_longer_than_english():
    english = "Recognize someone"
    assert len(pseudo(english)) >= len(english) * 1.4
    assert pseudo("Hi {name}, `/geese help` <@U1> :tada:").count("{name}") == 1
    assert "`/geese help`" in pseudo("see `/geese help`")


def test_nothing_is_left_in_a_thread_between_requests():
    """A language set for one request must not leak into the next on the same thread."""
    assert i18n.current() == i18n.SOURCE
    with i18n.speaking("fr"):
        assert i18n._("Recognize") == "Reconnaître"
    assert i18n._("Recognize") == "Recognize"
