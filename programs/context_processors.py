from .public import current_edition


def edition(request):
    """The current edition's name (令和6年度版) is in every page's header."""
    return {"current_edition": current_edition(request)}
