"""The posting forms. Each lists its fields; anything else a client sends is ignored."""

import functools
import uuid

from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from accounts.validators import multi_line, single_line

from . import tagging
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

    def visible_fields_html(self) -> SafeString:
        """The visible fields, each in its ``<div class="field …">`` (for post_form.html)."""
        return _visible_fields_html(self)


class SubmissionForm(PostBodyForm):
    """A new post: body, the notify box, and a token that makes double submission harmless."""

    notify = forms.BooleanField(label=NOTIFY_LABEL, required=False)
    token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    OUT_OF_DATE = "This form was out of date. Check your text and send it again."

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # A missing or mangled token (an old page, a browser that filled it in) is replaced
        # by a fresh one for the page shown again, so sending it again works; the text stays.
        self.stale_token = False
        if self.is_bound:
            name = self.add_prefix("token")
            try:
                uuid.UUID(str(self.data.get(name, "")))
            except ValueError:
                self.data = self.data.copy()
                self.data[name] = str(uuid.uuid4())
                self.stale_token = True

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.stale_token:
            raise forms.ValidationError(self.OUT_OF_DATE, code="out_of_date")
        return cleaned

    def visible_fields_html(self) -> SafeString:
        """The visible fields. A blank form, one whose only
        initial value is the notify box (the reply form under every thread, the new-topic form
        on every forum page), is the same markup for everyone: rendered once per process and
        variant, it saves a member's thread page a fifth of its template time."""
        if self.is_bound or set(self.initial) - {"notify"}:
            return _visible_fields_html(self)
        return _blank_fields_html(
            type(self), bool(self.initial.get("notify")), settings.FORUM_MAX_POST_LENGTH
        )


def _visible_fields_html(form: forms.Form) -> SafeString:
    return format_html_join(
        "\n",
        '<div class="field field--{}">{}</div>',
        ((field.widget_type, field.as_field_group()) for field in form.visible_fields()),
    )


@functools.lru_cache(maxsize=16)
def _blank_fields_html(form_class: type[SubmissionForm], notify: bool, limit: int) -> SafeString:
    """``limit`` (the maxlength the form reads from the settings) is part of the key."""
    return _visible_fields_html(form_class(initial={"notify": notify}))


class ReplyForm(SubmissionForm):
    field_order = ["body", "notify", "token"]


def _tags_field() -> forms.CharField:
    return forms.CharField(
        label="Topic Tags",
        required=False,
        help_text=f"Separate tags with commas; at most {tagging.MAX_TAGS}.",
        # Longer than any valid list of tags, so that an overlong one gets its message.
        max_length=1000,
    )


def _clean_tags(form: forms.Form) -> list[str]:
    try:
        return tagging.parse_tag_names(form.cleaned_data["tags"])
    except forms.ValidationError as error:
        raise forms.ValidationError(error.messages) from None


class TopicForm(SubmissionForm):
    title = forms.CharField(
        label="Topic Title (Maximum Length: 80)",
        max_length=Topic._meta.get_field("title").max_length,
        error_messages={"required": "Your topic needs a title."},
        validators=[single_line],
    )
    tags = _tags_field()
    field_order = ["title", "body", "tags", "notify", "token"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].label = "Topic Description"

    def clean_tags(self) -> list[str]:
        return _clean_tags(self)


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
            self.fields["tags"] = _tags_field()
            self.order_fields(["title", "body", "tags", "reason"])

    def clean_tags(self) -> list[str]:
        return _clean_tags(self)


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
