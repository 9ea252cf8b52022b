"""The schema library of the running Home Assistant.

Home Assistant validates with probatio since 2026.x and with voluptuous before; the
two share one API, and schemas must come from the library the core itself uses.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import probatio as vol
else:
    try:
        import probatio as vol
    except ImportError:  # Home Assistant before probatio
        import voluptuous as vol

__all__ = ["vol"]
