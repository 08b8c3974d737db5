"""Colour math for the label palette: sRGB -> CIE Lab, CIEDE2000, the 256-colour downgrade.

Pure functions (Rich is used only for its 256-colour downgrade, the one a terminal without
truecolour gets). `min_distance` is what `annotator schema check` and the palette test use:
two label colours closer than `TOO_CLOSE` (CIEDE2000) are hard to tell apart.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import combinations

RGB = tuple[int, int, int]
Lab = tuple[float, float, float]

# below this CIEDE2000 difference two label colours are easy to confuse: a span is a few
# cells of background, far smaller than the patches CIEDE2000 was fitted on. The old
# palette's confusable pairs (PERS/NORP 12.0, DATE/CARDINAL 14.6, ORG/LOC 16.6 in truecolour)
# all fall below it; the default palette's closest pair is 23.4 in both modes.
TOO_CLOSE = 20.0
MODES = ("truecolor", "256")


def hex_to_rgb(color: str) -> RGB:
    """'#rrggbb' -> (r, g, b)."""
    h = color.lstrip("#")
    if len(h) != 6:
        raise ValueError(f"not #rrggbb: {color!r}")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def rgb_to_hex(rgb: RGB) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def _linear(c: int) -> float:
    v = c / 255.0
    return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4


def rgb_to_lab(rgb: RGB) -> Lab:
    """sRGB (D65) -> CIE L*a*b*."""
    r, g, b = (_linear(c) for c in rgb)
    x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047
    y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b
    z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def cie76(lab1: Lab, lab2: Lab) -> float:
    return math.dist(lab1, lab2)


def ciede2000(lab1: Lab, lab2: Lab) -> float:
    """CIEDE2000 colour difference (Sharma, Wu & Dalal 2005), kL = kC = kH = 1."""
    l1, a1, b1 = lab1
    l2, a2, b2 = lab2
    c1, c2 = math.hypot(a1, b1), math.hypot(a2, b2)
    c_bar7 = ((c1 + c2) / 2) ** 7
    g = 0.5 * (1 - math.sqrt(c_bar7 / (c_bar7 + 25 ** 7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if c2p else 0.0
    dlp = l2 - l1
    dcp = c2p - c1p
    if c1p * c2p == 0:
        dhp = 0.0
    elif abs(h2p - h1p) <= 180:
        dhp = h2p - h1p
    elif h2p - h1p > 180:
        dhp = h2p - h1p - 360
    else:
        dhp = h2p - h1p + 360
    d_hp = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dhp / 2))
    lbp = (l1 + l2) / 2
    cbp = (c1p + c2p) / 2
    if c1p * c2p == 0:
        hbp = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        hbp = (h1p + h2p) / 2
    elif h1p + h2p < 360:
        hbp = (h1p + h2p + 360) / 2
    else:
        hbp = (h1p + h2p - 360) / 2
    t = (1 - 0.17 * math.cos(math.radians(hbp - 30)) + 0.24 * math.cos(math.radians(2 * hbp))
         + 0.32 * math.cos(math.radians(3 * hbp + 6))
         - 0.20 * math.cos(math.radians(4 * hbp - 63)))
    d_theta = 30 * math.exp(-(((hbp - 275) / 25) ** 2))
    cbp7 = cbp ** 7
    rc = 2 * math.sqrt(cbp7 / (cbp7 + 25 ** 7))
    sl = 1 + 0.015 * (lbp - 50) ** 2 / math.sqrt(20 + (lbp - 50) ** 2)
    sc = 1 + 0.045 * cbp
    sh = 1 + 0.015 * cbp * t
    rt = -math.sin(math.radians(2 * d_theta)) * rc
    return math.sqrt((dlp / sl) ** 2 + (dcp / sc) ** 2 + (d_hp / sh) ** 2
                     + rt * (dcp / sc) * (d_hp / sh))


def downgrade_256(color: str) -> RGB:
    """The colour a 256-colour terminal shows for '#rrggbb' (Rich's downgrade)."""
    from rich.color import Color, ColorSystem

    triplet = Color.parse(color).downgrade(ColorSystem.EIGHT_BIT).get_truecolor()
    return triplet.red, triplet.green, triplet.blue


def shown_rgb(color: str, mode: str = "truecolor") -> RGB:
    return downgrade_256(color) if mode == "256" else hex_to_rgb(color)


def distance(c1: str, c2: str, mode: str = "truecolor") -> float:
    """CIEDE2000 difference of two '#rrggbb' colours as shown in `mode`."""
    return ciede2000(rgb_to_lab(shown_rgb(c1, mode)), rgb_to_lab(shown_rgb(c2, mode)))


def closest_pairs(colors: dict[str, str], mode: str = "truecolor"
                  ) -> list[tuple[float, str, str]]:
    """(difference, name, name) for every pair of named colours, closest first."""
    pairs = [(distance(colors[a], colors[b], mode), a, b)
             for a, b in combinations(colors, 2)]
    return sorted(pairs)


def min_distance(colors: Sequence[str], mode: str = "truecolor") -> float:
    """The smallest pairwise CIEDE2000 difference (inf for fewer than two colours)."""
    return min((distance(a, b, mode) for a, b in combinations(colors, 2)), default=math.inf)


def too_close(colors: dict[str, str], limit: float = TOO_CLOSE
              ) -> list[tuple[str, float, str, str]]:
    """(mode, difference, name, name) for each pair closer than `limit`, in either mode."""
    out: list[tuple[str, float, str, str]] = []
    for mode in MODES:
        out += [(mode, d, a, b) for d, a, b in closest_pairs(colors, mode) if d < limit]
    return out


def shade(color: str, factor: float = 0.7) -> str:
    """The colour darkened towards black (`factor` of its sRGB channels): the alternate
    shade of a span nested in another span of the same label."""
    r, g, b = hex_to_rgb(color)
    return rgb_to_hex((round(r * factor), round(g * factor), round(b * factor)))
