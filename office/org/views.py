"""The person's own account page: the password, and their API tokens (listed, revoked one by
one). Thin over :mod:`office.org.tokens`; changing the password revokes every token anyway."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from office.org import tokens


class PasswordChangeView(auth_views.PasswordChangeView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["api_tokens"] = list(tokens.api_token_list_own(user=self.request.user))
        return context


@login_required
@require_POST
def api_token_revoke(request, pk: int):
    token = get_object_or_404(tokens.api_token_list_own(user=request.user), pk=pk)
    tokens.api_token_revoke(actor=request.user, token=token, request=request, reason="account_page")
    messages.success(request, _("已吊销令牌 %(token)s。") % {"token": token})
    return redirect("password_change")
