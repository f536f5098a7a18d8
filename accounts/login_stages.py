"""Our version of an allauth login stage (``AccountAdapter.get_login_stages`` names it)."""

# allauth's stages module must not be the first of its login modules imported (its flows
# import it back half-way); allauth itself loads this module by path, once they are loaded.
import allauth.account.internal  # noqa: F401
from allauth.account import stages
from allauth.account.models import EmailAddress


class EmailVerificationStage(stages.EmailVerificationStage):
    """allauth's mandatory verification, for accounts that signed up.

    An account with no email address on record at all was made by an operator (the seeded
    ``admin``, ``createsuperuser``, the admin's "Add user"): there is nothing to verify, and
    without this its owner could never log in on the site's own login page.
    """

    def handle(self):
        if not EmailAddress.objects.filter(user=self.login.user).exists():
            return None, True
        return super().handle()
