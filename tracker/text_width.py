"""How wide a line of text is drawn, without a browser: a width table for laying out SVG
on the server (the network picture).

CJK characters and full-width forms take one em in every Japanese font. Latin letters take
the advance widths of DejaVu Sans, the widest of the common sans-serif faces (and the one
`system-ui` falls back to on Linux), so the width given is never less than what a browser
draws with the app's font stack; what it over-estimates only leaves a little room.
"""

import math
import unicodedata

# Advance widths of DejaVu Sans, in ems, read from its hmtx table.
LATIN = {
    " ": 0.318, "!": 0.401, '"': 0.46, "#": 0.838, "$": 0.636, "%": 0.95, "&": 0.78,
    "'": 0.275, "(": 0.39, ")": 0.39, "*": 0.5, "+": 0.838, ",": 0.318, "-": 0.361,
    ".": 0.318, "/": 0.337, ":": 0.337, ";": 0.337, "<": 0.838, "=": 0.838, ">": 0.838,
    "?": 0.531, "@": 1.0, "[": 0.39, "\\": 0.337, "]": 0.39, "^": 0.838, "_": 0.5,
    "`": 0.5, "{": 0.636, "|": 0.337, "}": 0.636, "~": 0.838,
    "A": 0.684, "B": 0.686, "C": 0.698, "D": 0.77, "E": 0.632, "F": 0.575, "G": 0.775,
    "H": 0.752, "I": 0.295, "J": 0.295, "K": 0.656, "L": 0.557, "M": 0.863, "N": 0.748,
    "O": 0.787, "P": 0.603, "Q": 0.787, "R": 0.695, "S": 0.635, "T": 0.611, "U": 0.732,
    "V": 0.684, "W": 0.989, "X": 0.685, "Y": 0.611, "Z": 0.685,
    "a": 0.613, "b": 0.635, "c": 0.55, "d": 0.635, "e": 0.615, "f": 0.352, "g": 0.635,
    "h": 0.634, "i": 0.278, "j": 0.278, "k": 0.579, "l": 0.278, "m": 0.974, "n": 0.634,
    "o": 0.612, "p": 0.635, "q": 0.635, "r": 0.411, "s": 0.521, "t": 0.392, "u": 0.634,
    "v": 0.592, "w": 0.818, "x": 0.592, "y": 0.592, "z": 0.525,
    **dict.fromkeys("0123456789", 0.636),
}  # fmt: skip
WIDE = 1.0  # East Asian wide and full-width characters
HALF = 0.5  # half-width katakana
OTHER = 1.0  # anything else: as wide as it can be, so that nothing is cut off


def char_width(char: str) -> float:
    """The width of one character, in ems."""
    if char in LATIN:
        return LATIN[char]
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return WIDE
    if unicodedata.east_asian_width(char) == "H":
        return HALF
    if unicodedata.combining(char):
        return 0.0
    base = unicodedata.normalize("NFD", char)[0]  # é is as wide as e
    return LATIN.get(base, OTHER)


def text_width(text: str, font_size: float) -> float:
    """The width of a line of text at a font size, in the font size's units (px)."""
    # Rounded up to a tenth, so that the width given is never short of the one drawn.
    return math.ceil(sum(char_width(char) for char in text) * font_size * 10) / 10
