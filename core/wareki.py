"""和暦: the handbook names its editions by Japanese era year (令和6年度版)."""

# Heisei ended on 2019-04-30, so every fiscal year from 2019 is a Reiwa year.
_ERAS = ((2019, "令和"), (1989, "平成"), (1926, "昭和"))


def wareki_year(year: int) -> str:
    """2024 → 令和6年, 2019 → 令和元年."""
    for start, era in _ERAS:
        if year >= start:
            n = year - start + 1
            return f"{era}{'元' if n == 1 else n}年"
    return f"{year}年"


def fiscal_year_label(year: int) -> str:
    """2024 → 令和6年度."""
    return f"{wareki_year(year)}度"
