"""Account forms: allauth's, with clearer labels and a honeypot that suits a strict CSP."""

from allauth.account import app_settings
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import SignupForm as AllauthSignupForm


class LoginForm(AllauthLoginForm):
    """allauth's login form, its first field named for what it takes."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"].label = "Username or email"


class SignupForm(AllauthSignupForm):
    """allauth's signup form; its honeypot is hidden by a CSS class, not an inline style.

    The site's Content-Security-Policy refuses inline styles, and a field without a label is
    an accessibility error, so the trap gets a class (``display: none`` in forum.css, which
    people never see and bots that read only HTML still fill in) and a plain label.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        name = app_settings.SIGNUP_FORM_HONEYPOT_FIELD
        if name and name in self.fields:
            field = self.fields[name]
            field.label = "Leave this field empty"
            field.widget.attrs = {"class": "honeypot", "tabindex": "-1", "autocomplete": "off"}
