"""The email preferences form: for each kind of notification, when to email it; and whether
replying to a topic subscribes the member to it."""

from django import forms

from .models import EmailPreferences


class EmailPreferencesForm(forms.ModelForm):
    subscribe_on_reply = forms.BooleanField(
        label="Subscribe me to the topics I start or reply to",
        required=False,
        help_text='Ticks the "Notify me of follow-up replies via email" box under the reply '
        "and new-topic forms; untick it there for one post.",
    )

    class Meta:
        model = EmailPreferences
        fields = ["mention", "quote", "reply", "topic", "moderation"]
        widgets = dict.fromkeys(fields, forms.RadioSelect)

    def __init__(self, *args, subscribe_on_reply: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subscribe_on_reply"].initial = subscribe_on_reply

    def kind_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.Meta.fields]
