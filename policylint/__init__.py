"""policylint: find AWS 403 / AccessDenied causes before deploying."""

__version__ = "0.1.0"
