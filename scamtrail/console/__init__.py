"""The investigator's web console, served by ``scamtrail serve`` at ``/`` beside the REST API.

Server-rendered pages (Jinja2, autoescaped) over the same store and the same API keys, roles and
audit trail as the API: sign-in with a key makes a session cookie (:mod:`.sessions`), the frame
and its security headers are in :mod:`.web`, the pages in :mod:`.pages` (search, alerts,
registry) and :mod:`.dossier` (one identifier), the pictures in :mod:`.charts`. Scripts, styles
and templates ship in the package (``static/``, ``templates/``): nothing is fetched from elsewhere.
"""

from scamtrail.console.web import mount_console

__all__ = ["mount_console"]
