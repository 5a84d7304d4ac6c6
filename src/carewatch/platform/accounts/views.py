from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carewatch.platform.accounts import actions, permissions
from carewatch.platform.accounts.forms import ApiTokenForm, FamilyForm, InviteForm
from carewatch.platform.accounts.models import ApiToken, Clinic, ClinicRole, Family, FamilyInvite
from carewatch.platform.accounts.permissions import SignedInRequest
from carewatch.platform.accounts.sections import profile_sections


@login_required
def home(request: SignedInRequest) -> HttpResponse:
    context = {
        "families": permissions.families_of(request.user),
        "clinic_memberships": request.user.clinic_memberships.select_related("clinic"),
        "sections": profile_sections(request),
    }
    return render(request, "accounts/home.html", context)


@login_required
def create_family(request: SignedInRequest) -> HttpResponse:
    form = FamilyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        family = actions.do_create_family(request.user, form.cleaned_data["name"])
        messages.success(request, _("Your family is ready. Invite another guardian if you like."))
        return redirect("accounts:family", family.pk)
    return render(request, "accounts/create_family.html", {"form": form})


@permissions.family_member_required
def family(request: SignedInRequest, the_family: Family) -> HttpResponse:
    return _family_page(request, the_family, InviteForm())


def _family_page(
    request: HttpRequest, the_family: Family, invite_form: InviteForm, status: int = 200
) -> HttpResponse:
    context = {
        "family": the_family,
        "memberships": the_family.memberships.select_related("user"),
        "pending_invites": the_family.invites.filter(accepted_at=None),
        "invite_form": invite_form,
    }
    return render(request, "accounts/family.html", context, status=status)


@require_POST
@permissions.family_member_required
def invite(request: SignedInRequest, the_family: Family) -> HttpResponse:
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            actions.do_invite_guardian(
                the_family,
                request.user,
                form.cleaned_data["email"],
            )
        except actions.InviteError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]}
            )
        return redirect("accounts:family", the_family.pk)
    return _family_page(request, the_family, form, status=400)


@login_required
def accept_invite(request: SignedInRequest, token: str) -> HttpResponse:
    the_invite = get_object_or_404(FamilyInvite, token=token)
    if request.method == "POST":
        try:
            actions.do_accept_invite(the_invite, request.user)
        except actions.InviteError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("You have joined %(family)s.") % {"family": the_invite.family}
            )
            return redirect("accounts:family", the_invite.family_id)
    return render(request, "accounts/accept_invite.html", {"invite": the_invite})


@permissions.clinic_role_required(ClinicRole.ADMIN)
def clinic_team(request: SignedInRequest, clinic: Clinic) -> HttpResponse:
    memberships = clinic.memberships.select_related("user").order_by("role", "user__email")
    return render(
        request, "accounts/clinic_team.html", {"clinic": clinic, "memberships": memberships}
    )


@login_required
def api_tokens(request: SignedInRequest) -> HttpResponse:
    new_key = None
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _token, new_key = ApiToken.issue(request.user, form.cleaned_data["name"])
        form = ApiTokenForm()
    tokens = ApiToken.objects.filter(user=request.user.pk)
    context = {"tokens": tokens, "form": form, "new_key": new_key}
    return render(request, "accounts/api_tokens.html", context)


@require_POST
@login_required
def revoke_api_token(request: HttpRequest, token_id: int) -> HttpResponse:
    get_object_or_404(ApiToken, pk=token_id, user=request.user.pk).delete()
    messages.success(request, _("The key is revoked. Apps using it can no longer connect."))
    return redirect("accounts:api_tokens")


@permissions.family_member_required
def delete_family(request: SignedInRequest, the_family: Family) -> HttpResponse:
    if not permissions.can_delete_family(request.user, the_family):
        messages.error(request, _("Only the family’s owner can delete it."))
        return redirect("accounts:family", the_family.pk)
    if request.method == "POST":
        try:
            actions.do_delete_family(the_family, request.user, request.POST.get("name", ""))
        except actions.InviteError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The family and all its data are deleted."))
            return redirect("accounts:home")
    return render(request, "accounts/delete_family.html", {"family": the_family})
