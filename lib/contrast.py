"""Colours that stay readable: WCAG 2.1 relative luminance and contrast ratio.

The organisation chooses its main colour (ORGANIZATION_COLOR); the site cannot know whether it
is light or dark, so every colour drawn from it is computed to pass WCAG AA (4.5:1 for text)
instead of being trusted: the text on it is black or white, whichever contrasts more (one of
the two always reaches 4.5:1), and the colour used for links and outlines on the white page is
darkened until it reaches 4.5:1 against white.
"""

import re

HEX_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
BLACK, WHITE = "#000000", "#ffffff"
AA_TEXT = 4.5


def is_hex_colour(value: str) -> bool:
    return bool(HEX_COLOUR.match(value or ""))


def normalised(value: str) -> str:
    """`#abc` or `#AABBCC` as `#aabbcc`; ValueError for anything else."""
    if not is_hex_colour(value):
        raise ValueError(f"{value!r} is not a colour written as #rrggbb or #rgb")
    digits = value[1:].lower()
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return f"#{digits}"


def rgb(value: str) -> tuple[int, int, int]:
    digits = normalised(value)[1:]
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def luminance(value: str) -> float:
    """Relative luminance as WCAG 2.1 defines it (sRGB channels linearised)."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb(value))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two colours, 1 to 21."""
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def readable_text_on(background: str) -> str:
    """Black or white, whichever reads better on `background`."""
    return WHITE if contrast(WHITE, background) >= contrast(BLACK, background) else BLACK


def mixed(value: str, *, toward: str, share: float) -> str:
    """`value` moved `share` (0..1) of the way toward `toward`, channel by channel."""
    start, end = rgb(value), rgb(toward)
    channels = (round(a + (b - a) * share) for a, b in zip(start, end, strict=True))
    return "#" + "".join(f"{c:02x}" for c in channels)


def darkened_until_readable(value: str, *, on: str = WHITE, ratio: float = AA_TEXT) -> str:
    """`value`, darkened in small steps until text in it reaches `ratio` against `on`."""
    colour = normalised(value)
    for step in range(21):
        candidate = mixed(colour, toward=BLACK, share=step / 20)
        if contrast(candidate, on) >= ratio:
            return candidate
    return BLACK


def pressed(value: str) -> str:
    """The hover and pressed shade of a button: darker under white text, lighter under black,
    so that the text's contrast only grows."""
    target = BLACK if readable_text_on(value) == WHITE else WHITE
    return mixed(value, toward=target, share=0.15)
