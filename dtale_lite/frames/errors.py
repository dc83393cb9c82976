"""One family of errors, each carrying the HTTP status the API answers with.

Any layer (pure data modules included) raises these; the app turns every one of them into
``{"ok": false, "error": message, "status": N}`` with the matching HTTP status.
"""
from __future__ import annotations


class DtaleLiteError(Exception):
    """Base of every error the API reports to a client."""

    status = 500

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def to_dict(self) -> dict:
        return {"ok": False, "error": self.message, "status": self.status}


class BadRequest(DtaleLiteError, ValueError):
    status = 400


class Unauthorized(DtaleLiteError):
    status = 401


class Forbidden(DtaleLiteError):
    status = 403


class NotFound(DtaleLiteError, LookupError):
    status = 404


class UnsupportedMediaType(DtaleLiteError):
    """A body that is not ``application/json`` where only JSON is taken."""

    status = 415


class Conflict(DtaleLiteError):
    status = 409


class PayloadTooLarge(DtaleLiteError):
    """A request body (an upload) over the server's stated limit."""

    status = 413


class FilterError(BadRequest):
    """A filter string that does not parse or names something unknown.

    ``position`` is the 0-based character offset in the filter text where the problem is; the
    message already says it, the attribute lets the page point at it.
    """

    def __init__(self, message: str, position: int | None = None):
        if position is not None:
            message = f"{message} (at character {position})"
        super().__init__(message)
        self.position = position

    def to_dict(self) -> dict:
        out = super().to_dict()
        if self.position is not None:
            out["position"] = self.position
        return out


class Superseded(Conflict):
    """A chart request that a newer one from the same page replaced before it started."""
