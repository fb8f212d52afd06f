from __future__ import annotations

import pytest

from generator.core.text_rules import (
    check_key_sequence,
    check_phone_number,
    markdown_problems,
)


@pytest.mark.parametrize(
    "text",
    [
        "Vanlig tekst med *kursiv* og **fet**.",
        "- punkt en\n- punkt to",
        "Se [Praksisnytt](https://www.praksisnytt.no/).",
        "Ring [03739](tel:03739) eller skriv til [oss](mailto:pko@example.no).",
        "Autolenke <https://labfag.no/>.",
        "Mindre enn: 3 < 5 og 5 > 3.",
        "Forhold seg til NFA-standarden (2020).",
    ],
)
def test_allowed_markdown(text: str) -> None:
    assert markdown_problems(text) == []


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("<b>fet</b>", "HTML"),
        ("<!-- kommentar -->", "HTML"),
        ('<a href="https://x.no" onclick="steal()">x</a>', "HTML"),
        ("Tekst {: .klasse }", "attributtlister"),
        ("Tekst {#anker}", "attributtlister"),
        ("[x](javascript:alert(1))", "javascript"),
        ("[x](JaVaScRiPt:alert(1))", "javascript"),
        ("[x](data:text/html;base64,AAAA)", "data"),
        ("[x](http://praksisnytt.no)", "http:"),
        ("[x](side.md)", "full adresse"),
        ("[x](  <ftp://server/fil>)", "ftp"),
        ("<javascript:alert(1)>", "javascript"),
        ("[x][1]\n\n[1]: http://usikker.no", "http:"),
        ("![bilde](https://x.no/a.png)", "bilder"),
        ("# Overskrift", "overskrifter"),
        ("Skriv javascript: alert(1) her", "farlig"),
    ],
)
def test_refused_markdown(text: str, needle: str) -> None:
    problems = markdown_problems(text)
    assert problems, text
    assert any(needle in p for p in problems), problems


@pytest.mark.parametrize(
    "number", ["03739", "38 07 30 00", "38073000", "+47 38 07 30 00", "+4738073000", "113"]
)
def test_valid_phone_numbers(number: str) -> None:
    assert check_phone_number(number) == number


@pytest.mark.parametrize(
    "number", ["3739", "12345", "380730001", "+46 38 07 30 00", "38-07-30-00", "tlf 03739", ""]
)
def test_invalid_phone_numbers(number: str) -> None:
    with pytest.raises(ValueError):
        check_phone_number(number)


@pytest.mark.parametrize("keys", ["R 3421", "4564", "R 7181 #", "* 12"])
def test_valid_key_sequences(keys: str) -> None:
    assert check_key_sequence(keys) == keys


@pytest.mark.parametrize("keys", ["R-3421", "R", "trykk 3421", "R  3421", ""])
def test_invalid_key_sequences(keys: str) -> None:
    with pytest.raises(ValueError):
        check_key_sequence(keys)
