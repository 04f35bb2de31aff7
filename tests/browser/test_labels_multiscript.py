"""Chinese, Japanese, Korean, Arabic/Hebrew (right-to-left) and emoji words on the explorer's
standalone page, in a real browser with Debian's Noto CJK and colour emoji fonts: hovered and
searched by those words, the neighbour lists equal the kernel's, labels drawn with glyphs (no
tofu boxes), and the hostile words stay text. Screenshots: test-artifacts/labels-cjk.png,
labels-rtl.png, labels-emoji.png, labels-search-*.png.
"""

from __future__ import annotations

import pytest

from tests.browser.test_explorer_standalone import hover, listed, open_page
from tests.support.lab import screenshot
from tests.support.vectors import GROUPS, HOSTILE, multiscript_vectors
from w2v_widgets.widgets.explorer import EmbeddingExplorer

pytestmark = pytest.mark.browser


def glyphs_are_drawn(page, text: str) -> bool:
    """Whether the page's font draws ``text`` with real glyphs: a missing glyph (tofu) has the
    same width for every character, so two different strings of one script measure alike."""
    return page.evaluate(
        """(t) => {
            const c = document.createElement('canvas').getContext('2d');
            c.font = getComputedStyle(document.querySelector('.w2v-explorer')).font;
            const tofu = '\\u{10FFFD}'.repeat([...t].length);  // a private-use character: no glyph
            return c.measureText(t).width > 0 && c.measureText(t).width !== c.measureText(tofu).width;
        }""",
        text,
    )


def test_cjk_rtl_and_emoji_labels_hover_search_and_escape(page, console, tmp_path):
    explorer = EmbeddingExplorer(multiscript_vectors(), n_words=600, projection="pca", height=560)
    path = explorer.save_html(tmp_path / "labels.html", title="标签 · 레이블 · תוויות")
    root = open_page(page, path, [])
    assert page.title() == "标签 · 레이블 · תוויות"

    for group, members in GROUPS.items():
        for word in members[:2]:
            hover(page, word)  # waits for the title "Nearest to <word>"
            got = listed(root, "neighbours")
            assert got == [w for w, _ in explorer.neighbours(word)], (word, got)
            assert set(got[:4]) == set(members) - {word}, (word, got)
        if group in ("zh", "rtl", "emoji"):
            screenshot(page, f"labels-{'cjk' if group == 'zh' else group}")
        drawn = "🐱🐶" if group == "emoji" else "".join(members)  # one code point a character
        assert glyphs_are_drawn(page, drawn), group  # emoji need fonts-noto-color-emoji

    for word in HOSTILE:  # escaping intact beside the other scripts
        hover(page, word)

    # search by the words: autocomplete from the first syllable, Enter focuses the word
    for prefix, word in (("서", "서울"), ("北", "北京"), ("ירו", "ירושלים"), ("🐱", "🐱")):
        root.locator(".w2v-input").fill(prefix)
        root.locator(".w2v-option", has_text=word).first.wait_for()
        root.locator(".w2v-input").fill(word)
        root.locator(".w2v-input").press("Enter")
        page.wait_for_function(
            "(w) => document.querySelector('.w2v-explorer').__w2v.focused() === w", arg=word
        )
        root.locator(".w2v-neighbours-title", has_text=f"Nearest to {word}").wait_for()
        screenshot(page, f"labels-search-{word.encode('unicode_escape').decode()[:12].replace(chr(92), '')}")

    assert page.locator("img").count() == 0
    assert not [m for m in console if m.startswith(("pageerror", "error"))], console
