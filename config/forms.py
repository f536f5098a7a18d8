"""How the site's forms render: Django's templates, but each field through the project's
``templates/forms/field.html`` (labels without colons, help text after the control)."""

from django.forms.renderers import TemplatesSetting


class SiteFormRenderer(TemplatesSetting):
    field_template_name = "forms/field.html"
