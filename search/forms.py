"""The search form: what to look for, and where. Its names are bbPress's (``bbp_search``), so
a bbPress site's search links and forms keep working."""

from django import forms

from .query import QueryError, SearchQuery, parse


class SearchForm(forms.Form):
    bbp_search = forms.CharField(
        label="Search for",
        required=False,
        strip=True,
        # Not ``max_length``: the browser would cut a pasted text short without a word.
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        help_text='All words must appear; "quoted words" together; -word leaves posts out; '
        "or between two words finds either.",
    )
    forum = forms.ChoiceField(label="In forum", required=False)
    author = forms.CharField(label="By member (username)", required=False, max_length=150)
    hidden = forms.BooleanField(label="Include pending, spam and trashed posts", required=False)

    def __init__(self, *args, forum_choices: list[tuple[str, str]], moderating: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["forum"].choices = [("", "All forums"), *forum_choices]
        if not moderating:
            del self.fields["hidden"]

    def clean_bbp_search(self) -> SearchQuery:
        try:
            return parse(self.cleaned_data["bbp_search"])
        except QueryError as error:
            raise forms.ValidationError(str(error)) from None
