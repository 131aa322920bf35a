"""The API's accounts endpoints: exchange a password for a token, list and revoke one's tokens.

``POST /api/auth/token`` asks for the password every time (a token never makes another one);
scripts then send ``Authorization: Bearer <token>``. Tokens expire, and a person sees and revokes
only their own: another person's token id answers 404, as if it did not exist.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth import authenticate
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.security import HttpBearer

from alliance.errors import RequestError
from alliance.web.accounts.models import ApiToken, User
from alliance.web.api_errors import ErrorBody, HttpRefusalError, SessionCookie
from alliance.web.permissions import own_tokens

__all__ = ["PRIVATE", "BearerToken", "router"]


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>`` for scripts: live tokens of active people only."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        """Return the token's person (and make them the request's user), or None: 401."""
        user = ApiToken.user_for(token)
        if user is not None:
            request.user = user
        return user


#: Who may call private endpoints: a token, or the pages' session cookie.
PRIVATE = [BearerToken(), SessionCookie()]

router = Router(tags=["auth"])


class TokenRequest(Schema):
    email: str
    password: str
    name: str = ""
    days: int | None = None


class TokenOut(Schema):
    id: int
    name: str
    created: datetime
    expires: datetime
    last_used: datetime | None


class NewToken(TokenOut):
    token: str


@router.post("/auth/token", response={200: NewToken, 401: ErrorBody, 429: ErrorBody})
def issue_token(request: HttpRequest, credentials: TokenRequest) -> dict[str, object]:
    """Exchange an e-mail and password for a token (shown once), ``days`` long (default 30).

    A token of the same ``name`` is replaced. Called with the pages' session cookie, the token
    is revoked when that session logs out.
    """
    user = authenticate(request, email=credentials.email, password=credentials.password)
    if not isinstance(user, User):
        raise HttpRefusalError(401, RequestError("request.invalid_credentials"))
    session = request.session.session_key if request.user.pk == user.pk else None
    record, token = ApiToken.mint(user, credentials.name, credentials.days, session)
    return {"token": token, **_token(record)}


def _token(record: ApiToken) -> dict[str, object]:
    return {
        "id": record.pk,
        "name": record.name,
        "created": record.created,
        "expires": record.expires,
        "last_used": record.last_used,
    }


@router.get("/auth/tokens", response=list[TokenOut], auth=PRIVATE)
def tokens(request: HttpRequest) -> list[dict[str, object]]:
    """List the caller's live tokens, newest first (never the tokens themselves)."""
    return [_token(t) for t in ApiToken.live(request.user)]  # type: ignore[arg-type]


@router.delete("/auth/tokens/{pk}", response={204: None}, auth=PRIVATE)
def revoke(request: HttpRequest, pk: int) -> Status[None]:
    """Revoke one of the caller's tokens (another person's answers 404)."""
    if not own_tokens(request.user).filter(pk=pk).delete()[0]:
        raise HttpRefusalError(404, RequestError("token.unknown", id=pk))
    return Status(204, None)
