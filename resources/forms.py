"""The staff forms of the directory and the curriculum. They only shape what was typed into the
data the services take (the API's shape); the rules (URLs, phone numbers, languages, lengths, one
module a week) are the services', and their errors are shown next to the field they name."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Category, Module, Resource


class ResourceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, widget=forms.TextInput(attrs={"maxlength": 200}))
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000})
    )
    languages = forms.CharField(
        label=_("Languages"), required=False, initial="en", help_text=_("Two-letter codes, separated by commas, like en, es.")
    )
    hours = forms.CharField(label=_("Hours"), required=False, widget=forms.TextInput(attrs={"maxlength": 200}))
    phone = forms.CharField(label=_("Phone"), required=False, widget=forms.TextInput(attrs={"inputmode": "tel"}))
    address = forms.CharField(label=_("Address"), required=False, widget=forms.TextInput(attrs={"maxlength": 300}))
    url = forms.CharField(
        label=_("Website"), required=False, help_text=_("Starts with https://"), widget=forms.URLInput(attrs={"maxlength": 500})
    )
    public = forms.BooleanField(label=_("List on the public page"), required=False, initial=True)
    active = forms.BooleanField(
        label=_("Shown in the directory"), required=False, initial=True, help_text=_("Hidden resources cannot be referred to.")
    )

    def __init__(self, *args: Any, resource: Resource | None = None, **kwargs: Any) -> None:
        """Without `resource`, the form adds one (always shown in the directory at first)."""
        super().__init__(*args, **kwargs)
        if resource is None:
            del self.fields["active"]
        else:
            self.initial = {**self.initial_for(resource), **self.initial}

    @classmethod
    def initial_for(cls, resource: Resource) -> dict[str, Any]:
        names = ("name", "category", "description", "hours", "phone", "address", "url", "public", "active")
        return {**{n: getattr(resource, n) for n in names}, "languages": ", ".join(resource.languages)}

    def to_service_data(self) -> dict[str, Any]:
        return dict(self.cleaned_data)  # languages stay text: the service splits and checks them


class ModuleForm(forms.Form):
    week = forms.IntegerField(label=_("Week (1–52)"), min_value=1, max_value=52)
    title = forms.CharField(label=_("Title"), max_length=200, widget=forms.TextInput(attrs={"maxlength": 200}))
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.TextInput(attrs={"maxlength": 500}))
    body = forms.CharField(
        label=_("Body (Markdown)"),
        required=False,
        strip=False,
        help_text=_("**bold**, *italic*, [a link](https://…), lines starting with - for a list, # for a heading."),
        widget=forms.Textarea(attrs={"rows": 12}),
    )
    activities = forms.CharField(label=_("Activities, one per line"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, module: Module | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if module is not None:
            self.initial = {**self.initial_for(module), **self.initial}

    @classmethod
    def initial_for(cls, module: Module) -> dict[str, Any]:
        return {
            "week": module.week,
            "title": module.title,
            "summary": module.summary,
            "body": module.body,
            "activities": "\n".join(module.activities),
        }

    def to_service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["activities"] = [a.strip() for a in data.get("activities", "").splitlines() if a.strip()]
        return data

    def typed(self) -> dict[str, Any]:
        """What is in the boxes now (typed, or the saved module), for the preview."""

        def text(name: str) -> str:
            value = self[name].value()
            return str(value) if value is not None else ""

        return {
            "week": text("week"),
            "title": text("title"),
            "summary": text("summary"),
            "body": text("body"),
            "activities": [a.strip() for a in text("activities").splitlines() if a.strip()],
        }
