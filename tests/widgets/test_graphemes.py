"""Words shortened and isolated for display: never cut inside a character a reader sees as one,
and a right-to-left word or a direction override does not reorder the text around it."""

from __future__ import annotations

from tests.support.hostile import HOSTILE
from w2v_widgets.widgets.graphemes import fit, graphemes, shorten
from w2v_widgets.widgets.live.neighbour_table import NeighbourTable, box_text, parse_words
from w2v_widgets.widgets.plain_text import HINT, PLAIN_LIMIT, plain_summary
from w2v_widgets.widgets.teaching import svg

CODER = "\U0001f469\u200d\U0001f4bb"  # woman technologist: 3 code points, one character
HAN_JAMO = "\u1112\u1161\u11ab"  # 한 spelt in conjoining jamo
NEW_ATTRS = ' class="w2v-new" title="new in the top-k"'  # a neighbour new since the last update


def test_graphemes_keep_joined_emoji_flags_marks_and_jamo_whole():
    assert graphemes(CODER * 2) == [CODER, CODER]
    assert graphemes("🇯🇵🇰🇷🇨") == ["🇯🇵", "🇰🇷", "🇨"]  # regional indicators pair up
    assert graphemes("cafe\u0301") == ["c", "a", "f", "e\u0301"]
    assert graphemes("❤️👍🏽") == ["❤️", "👍🏽"]  # variation selector, skin tone
    assert graphemes(HAN_JAMO + "가") == [HAN_JAMO, "가"]
    assert graphemes("שָׁלוֹם") == ["שָׁ", "ל", "וֹ", "ם"]  # Hebrew points stay on their letter


def test_shorten_cuts_between_characters():
    assert shorten(CODER * 30, 20) == CODER * 19 + "…"
    assert shorten(HAN_JAMO * 30, 20) == HAN_JAMO * 19 + "…"
    assert shorten("🇯🇵" * 3, 3) == "🇯🇵" * 3
    assert shorten("short", 20) == "short"
    assert svg.hbars([CODER * 30], [("p", "#000", [0.5])]).count(CODER) == 19  # the bar label
    assert "'" + "🇯🇵" * 29 + "…'" in plain_summary("X", {"word": "🇯🇵" * 40})  # a widget's repr


def test_a_widget_summary_cut_at_its_length_keeps_whole_characters():
    """plain_summary's limit counts code points (``len``): the cut falls between characters."""
    assert fit(CODER * 4, 6) == CODER + "…" and fit(CODER * 2, 6) == CODER * 2
    assert fit("🇯🇵" * 3, 4) == "🇯🇵…" and fit("abc", 2) == "a…"
    for name in ("X", "XY", "XYZ"):  # each alignment of the cut against the 3-code-point character
        text = plain_summary(name, {}, detail=CODER * 200)
        body = text.removeprefix(f"{name}: ").split("…")[0]
        assert len(text) <= PLAIN_LIMIT and set(graphemes(body)) == {CODER}, (name, body[-4:])
        assert len(body) >= PLAIN_LIMIT - len(HINT) - len(name) - 7  # cut at most one character early


def test_words_in_html_are_escaped_and_isolated():
    assert svg.word("القاهرة") == "<bdi>القاهرة</bdi>"
    assert svg.word(HOSTILE[0]) == "<bdi>&lt;img src=x onerror=alert(1)&gt;</bdi>"


def test_the_neighbour_table_isolates_its_words_with_the_same_helper():
    table = NeighbourTable(None, words=["القاهرة"], k=1)
    neighbour = {"word": HOSTILE[0], "similarity": 0.5, "new": True}
    table.rows = [{"word": "القاهرة", "status": "ok", "neighbours": [neighbour]}]
    markup = table.to_html()
    assert f'<th class="probe">{svg.word("القاهرة")}</th>' in markup
    assert f'<td>{svg.word(HOSTILE[0], NEW_ATTRS)}<span class="sim">0.500</span></td>' in markup
    assert svg.word("x", ' class="y"') == '<bdi class="y">x</bdi>'


def test_probe_box_isolates_right_to_left_words_and_reads_them_back():
    words = ["القاهرة", "ירושלים", "paris", "\u202egnp.exe", HOSTILE[0].replace(" ", "")]
    text = box_text(words)
    assert text.startswith("\u2068القاهرة\u2069, \u2068ירושלים\u2069, paris, \u2068\u202egnp.exe\u2069, ")
    assert parse_words(text) == words
    assert box_text(["one", "two"]) == "one, two"  # left-to-right words as before
