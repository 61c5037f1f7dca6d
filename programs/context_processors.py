from .models import Edition


def edition(request):
    """The current edition's name (令和6年度版) is in every page's header."""
    if not hasattr(request, "_current_edition"):
        request._current_edition = Edition.objects.current()
    return {"current_edition": request._current_edition}
