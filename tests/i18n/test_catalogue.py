"""Issue 13: a test fails when a template string is not marked or not translated.

(1) Every template in COVERED is read with Django's own template lexer: visible text (element
text and the attributes people read or hear: aria-label, title, alt, placeholder, a button's
value) must sit inside {% translate %} / {% blocktranslate %}. A quoted literal inside {{ … }}
(a `default:` text, a date format) must be `_("…")`. Whitespace, punctuation, numbers, template
variables and brand names do not count.
(2) Every msgid of the Spanish catalogue has a msgstr: not empty, not fuzzy."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.template.base import Lexer, TokenType

ROOT = Path(settings.BASE_DIR)
TEMPLATES = ROOT / "templates"

# Directories (every template below them) and single files this test covers. The rest join
# as their pages are translated.
COVERED = [
    "groups",
    "registration",
    "403.html",
    "404.html",
    "429.html",
    "500.html",
    "base.html",
    "members",
    "matching",
    "dashboard",
    "messaging",
    "plans",
    "resources",
]

# Words that read the same in every language: the brand, phone numbers, language names written
# in their own language (the footer switch).
BRANDS = {"Kinship", "English", "Español", "SAMHSA"}
READ_ATTRIBUTES = {"aria-label", "title", "alt", "placeholder", "data-label"}
SKIP_ELEMENTS = {"script", "style"}
PLACEHOLDER = "\x00"
LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
LITERAL = re.compile(r"""(?:(\w+):)?(_\()?(["'])(.*?)\3""")
# Filter arguments that are names, not words: a vocabulary (`label:"goal"`), a named date format.
NAME_ARGUMENT_FILTERS = {"label", "labels", "get_item"}
NAMED_FORMAT = re.compile(r"^[A-Z_]+$")
# Machine-readable date formats (a <time datetime> value): the same in every language.
MACHINE_FORMATS = {"c", "U", "Y-m-d", "Y-m-d\\TH:i"}


def covered_templates() -> list[Path]:
    files: list[Path] = []
    for entry in COVERED:
        path = TEMPLATES / entry
        files.extend(sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path])
    return files


def _visible(text: str) -> str | None:
    """The text with placeholders, brand names and non-letters removed; None if nothing is left."""
    words = text.replace(PLACEHOLDER, " ")
    for brand in BRANDS:
        words = words.replace(brand, " ")
    return words.strip() if LETTER.search(words) else None


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIP_ELEMENTS:
            self.skip += 1
        values = dict(attrs)
        for name, value in attrs:
            readable = name in READ_ATTRIBUTES or (
                name == "value" and tag == "input" and values.get("type") in ("submit", "button", "reset")
            )
            if readable and value and (text := _visible(value)):
                self.found.append(f'{name}="{text}"')

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIP_ELEMENTS and self.skip:
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if not self.skip and (text := _visible(data)):
            self.found.append(text)


def untranslated(source: str) -> list[str]:
    """Visible strings of a template that are not marked for translation."""
    out: list[str] = []
    html: list[str] = []
    skip_until: str | None = None
    for token in Lexer(source).tokenize():
        if skip_until:
            if token.token_type == TokenType.BLOCK and token.contents.split()[0] == skip_until:
                skip_until = None
            continue
        if token.token_type == TokenType.TEXT:
            html.append(token.contents)
        elif token.token_type == TokenType.VAR:
            html.append(PLACEHOLDER)
            for filter_name, marked, _quote, literal in LITERAL.findall(token.contents):
                if filter_name in NAME_ARGUMENT_FILTERS or NAMED_FORMAT.match(literal) or literal in MACHINE_FORMATS:
                    continue
                if not marked and LETTER.search(literal):
                    out.append(f"{{{{ {token.contents} }}}}")
        elif token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0]
            if name in ("blocktranslate", "blocktrans"):
                html.append(PLACEHOLDER)
                skip_until = "endblocktranslate" if name == "blocktranslate" else "endblocktrans"
            elif name == "comment":
                skip_until = "endcomment"
            elif name in ("translate", "trans"):
                html.append(PLACEHOLDER)
            # other tags ({% if %}, {% url %}, {% csrf_token %}…) carry no words of their own
    collector = _Collector()
    collector.feed("".join(html))
    collector.close()
    return out + collector.found


@pytest.mark.parametrize("path", covered_templates(), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_every_visible_template_string_is_marked_for_translation(path):
    assert untranslated(path.read_text(encoding="utf-8")) == []


def test_the_checker_catches_unmarked_text():
    assert untranslated("<p>Hello {{ name }}</p>") == ["Hello"]
    assert untranslated('<input placeholder="e.g. Holiday">') == ['placeholder="e.g. Holiday"']
    assert untranslated('{{ x|default:"None yet" }}') == ['{{ x|default:"None yet" }}']
    assert untranslated('<p>{% translate "Hello" %} {{ n }} · 988</p><a aria-label="{% translate "Main" %}">Kinship</a>') == []
    assert untranslated("{% blocktranslate trimmed %}Hi {{ n }}{% endblocktranslate %}{# a note #}") == []
    assert untranslated('{{ p.goal|label:"goal" }}{{ d|date:"DATE_FORMAT" }}') == []
    assert untranslated('{{ d|date:"D j M" }}') == ['{{ d|date:"D j M" }}']
    assert untranslated('<time datetime="{{ d|date:\'c\' }}">{{ d|date:_("M j") }}</time>') == []
    assert untranslated('{{ d|date:_("D j M") }}{% comment %}Words{% endcomment %}<script>var a="b"</script>') == []


def _catalogue(name: str):
    with open(ROOT / "locale" / "es" / "LC_MESSAGES" / name, "rb") as fh:
        return read_po(fh, locale="es")


@pytest.mark.parametrize("name", ["django.po", "djangojs.po"])
def test_every_message_in_the_spanish_catalogue_is_translated(name):
    problems = []
    for message in _catalogue(name):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(s and s.strip() for s in strings):
            problems.append(message.id)
    assert problems == []
