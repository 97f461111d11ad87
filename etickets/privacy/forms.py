from django.utils.translation import gettext_lazy as _

from etickets.accounts.forms import DisableTwoFactorForm
from etickets.accounts.selectors import has_two_factor


class DeleteAccountForm(DisableTwoFactorForm):
    """The password (a wrong one counts as a failed login), and a second-factor code when the
    account has one on: checked by the view (accounts.security.check_second_factor)."""

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["password"].label = _("Mot de passe")
        if not has_two_factor(request.user):
            del self.fields["code"]
