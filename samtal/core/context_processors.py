from .middleware import idle_timeout


def session_timeout(request):
    """The idle timeout for static/js/idle.js (only for logged-in staff)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not hasattr(request, "session"):
        return {}
    return {"idle_timeout": idle_timeout(request)}
