"""The posting forms. Each lists its fields; anything else a client sends is ignored."""

import uuid

from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator

from accounts.validators import multi_line, single_line

from .models import PostRevision, Report, Topic

NOTIFY_LABEL = "Notify me of follow-up replies via email"


class PostBodyForm(forms.Form):
    """A markdown body with the site's length limit (read per form, so tests can change it)."""

    body = forms.CharField(
        label="Your reply",
        widget=forms.Textarea(attrs={"rows": 10, "class": "post-form__body"}),
        help_text="Markdown: **bold**, *italic*, [links](https://…), > quotes, - lists.",
        error_messages={"required": "Your post cannot be empty."},
        validators=[multi_line],
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        limit = settings.FORUM_MAX_POST_LENGTH
        body = self.fields["body"]
        body.validators.append(
            MaxLengthValidator(
                limit,
                message=f"Posts are limited to {limit:,} characters; yours has %(show_value)s.",
            )
        )
        body.widget.attrs["maxlength"] = str(limit)


class SubmissionForm(PostBodyForm):
    """A new post: body, the notify box, and a token that makes double submission harmless."""

    notify = forms.BooleanField(label=NOTIFY_LABEL, required=False)
    token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)


class ReplyForm(SubmissionForm):
    field_order = ["body", "notify", "token"]


class TopicForm(SubmissionForm):
    title = forms.CharField(
        label="Topic Title (Maximum Length: 80)",
        max_length=Topic._meta.get_field("title").max_length,
        error_messages={"required": "Your topic needs a title."},
        validators=[single_line],
    )
    field_order = ["title", "body", "notify", "token"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].label = "Topic Description"


class EditForm(PostBodyForm):
    """Editing a post: its body, a reason for the log, and the title for an opening post."""

    reason = forms.CharField(
        label="Optional reason for editing",
        required=False,
        max_length=PostRevision._meta.get_field("reason").max_length,
        validators=[single_line],
    )

    def __init__(self, *args, with_title: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].label = "Post text"
        if with_title:
            self.fields["title"] = forms.CharField(
                label="Topic Title (Maximum Length: 80)",
                max_length=Topic._meta.get_field("title").max_length,
                validators=[single_line],
            )
            self.order_fields(["title", "body", "reason"])


class ReportForm(forms.Form):
    reason = forms.CharField(
        label="Why should a moderator look at this post?",
        max_length=Report._meta.get_field("reason").max_length,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Tell the moderators what is wrong with the post."},
        validators=[multi_line],
    )


class DestinationTopicForm(forms.Form):
    """Where a merge or move goes: the destination topic's address or slug."""

    destination = forms.CharField(
        label="Destination topic (its address or slug)",
        max_length=300,
        help_text="For example https://example.com/forums/topic/squat-depth/ or squat-depth",
        validators=[single_line],
    )

    def clean_destination(self) -> Topic:
        value = self.cleaned_data["destination"].strip().rstrip("/")
        slug = value.split("/topic/", 1)[-1].split("/", 1)[0] if "/topic/" in value else value
        topic = Topic.objects.visible().filter(slug=slug).first()
        if topic is None:
            raise forms.ValidationError("No topic has that address.")
        return topic


class SplitForm(forms.Form):
    title = forms.CharField(
        label="Title of the new topic (Maximum Length: 80)",
        max_length=Topic._meta.get_field("title").max_length,
        validators=[single_line],
    )
