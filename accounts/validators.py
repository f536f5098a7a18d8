"""Usernames that read well in URLs (``/forums/users/<username>/``) and mentions."""

from django.core.validators import MaxLengthValidator, RegexValidator

username_characters = RegexValidator(
    r"^[A-Za-z0-9._-]+\Z",
    "Usernames may hold only letters, digits and the characters . _ - (no spaces).",
    code="invalid_username",
)

#: ``ACCOUNT_USERNAME_VALIDATORS`` (stricter than Django's, which also allows @ and +).
username_validators = [MaxLengthValidator(30), username_characters]
