"""One list of hostile words for every test of words as user data (widgets, pages, exports).

Each is a plausible token of a user's corpus that would do harm if a widget or an export treated
it as markup, script, a template or a spreadsheet formula. Shown anywhere, it must stay inert
text, displayed as written. ``EVIL`` is the classic HTML injection, for tests that need one word.
"""

EVIL = "<img src=x onerror=alert(1)>"

HOSTILE = [
    EVIL,
    "</script><script>alert(2)</script>",
    "<svg/onload=alert(3)>",
    "a&amp;b",  # must show as typed, not as "a&b"
    "x\u2028y",  # a line separator: ends a JavaScript string literal in old engines
    "'\"`",  # quotes of attributes and template literals
    "${alert(4)}",
    "{{constructor.constructor('alert(5)')()}}",
    "javascript:alert(6)",
    '=HYPERLINK("http://x.example","y")',  # spreadsheet formulas
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\u202egnp.exe",  # right-to-left override
    "__proto__",
]

# the same words without whitespace, for formats that separate fields by spaces (word2vec)
HOSTILE_NO_SPACE = [w for w in HOSTILE if not any(ch.isspace() for ch in w)]
