"""The user's own API key: a page under the account menu and POST/DELETE /api/core/token/."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from rest_framework.views import APIView

from ..tokens import token_expires_at, token_renew, token_revoke


@login_required
@require_http_methods(["GET", "POST"])
def token_page(request):
    new_key = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            if token_revoke(user=request.user):
                messages.success(request, _("Your API key was revoked; programs using it can no longer sign in."))
            return HttpResponseRedirect(reverse("core:api_token"))
        token = token_renew(user=request.user)
        new_key = token.key  # shown once, on this response only
        messages.success(request, _("A new API key was created; copy it now, it is not shown again."))
    token = Token.objects.filter(user=request.user).first()
    context = {
        "token": token,
        "days": settings.API_TOKEN_DAYS,
        "new_key": new_key,
        "expires_at": token_expires_at(token) if token else None,
        "expired": bool(token and token_expires_at(token) <= timezone.now()),
    }
    return render(request, "core/tokens.html", context)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()
    expires_at = serializers.DateTimeField()


class TokenView(APIView):
    """POST: create (or replace) your API key and return it; DELETE: revoke it."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = TokenSerializer

    @extend_schema(request=None, responses={201: TokenSerializer})
    def post(self, request):
        token = token_renew(user=request.user)
        return Response({"token": token.key, "expires_at": token_expires_at(token)}, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        token_revoke(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
