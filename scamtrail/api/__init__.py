"""The REST API (``scamtrail serve``) and the API keys it checks.

:func:`create_app` builds the FastAPI app over a bus, a store and a key store; ``keys`` holds the
keys per agency and role (investigator, partner, intake, admin) and the audit trail.
"""

from scamtrail.api.app import create_app

__all__ = ["create_app"]
