"""Reading a page's forms and links the way a browser would, for the load test and the fault tests."""

import random
import re
from html.parser import HTMLParser


class FormParser(HTMLParser):
    """The fields of the forms of a page (name → value) as a browser would submit them untouched,
    with the options each select offers."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._select = None
        self._option = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action", ""), "method": attrs.get("method", "get").lower(),
                               "fields": {}, "options": {}, "required": set()})
            return
        if not self.forms:
            return
        form = self.forms[-1]
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    form["fields"][name] = attrs.get("value", "on")
            elif kind not in ("submit", "button", "file", "image", "reset"):
                form["fields"][name] = attrs.get("value", "")
            if "required" in attrs:
                form["required"].add(name)
        elif tag == "textarea" and name:
            self._textarea = name
            form["fields"][name] = ""
        elif tag == "select" and name:
            self._select = name
            form["options"][name] = []
            if "required" in attrs:
                form["required"].add(name)
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            form["options"][self._select].append(value)
            if "selected" in attrs:
                form["fields"][self._select] = value

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self.forms:
            self.forms[-1]["fields"][self._textarea] += data


def post_form(html: str, marker: str) -> dict | None:
    """The POST form of the page that has a field named `marker`, every required select filled."""
    parser = FormParser()
    parser.feed(html)
    for form in parser.forms:
        if form["method"] == "post" and marker in form["fields"] | form["options"]:
            fields = dict(form["fields"])
            for name, options in form["options"].items():
                choices = [value for value in options if value]
                if not fields.get(name) and choices and name in form["required"]:
                    fields[name] = random.choice(choices)
            form["fields"] = fields
            return form
    return None


def links(html: str, pattern: str) -> list[str]:
    return sorted(set(re.findall(pattern, html)))
