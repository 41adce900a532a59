from django.forms.renderers import TemplatesSetting


class BinomeFormRenderer(TemplatesSetting):
    """One accessible markup for every form: label, help, errors tied to the input."""

    form_template_name = "components/form.html"
    field_template_name = "components/field.html"
