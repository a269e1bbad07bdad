"""API tokens that expire (settings.API_TOKEN_DAYS after creation) and that their owner can
create again or revoke (Account → API key, or POST/DELETE /api/core/token/)."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed


def token_expires_at(token: Token):
    return token.created + timedelta(days=settings.API_TOKEN_DAYS)


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token_expires_at(token) <= timezone.now():
            raise AuthenticationFailed(_("This API key has expired; create a new one under Account → API key."))
        return user, token


def token_renew(*, user) -> Token:
    """Replace the user's token (if any) with a new one; the old key stops working at once."""
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)


def token_revoke(*, user) -> bool:
    deleted, _rows = Token.objects.filter(user=user).delete()
    return bool(deleted)
