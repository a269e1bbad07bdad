"""Atom feeds: newly published resolutions and newly answered petitions of a council."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from . import queries


class _CouncilFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, council):
        return council

    def link(self, council):
        return reverse("public:council", args=[council["slug"]])


class ResolutionFeed(_CouncilFeed):
    def title(self, council):
        return _("New resolutions — People's Council of %(name)s") % {"name": council["name"]}

    def subtitle(self, council):
        return _("Resolutions published on the transparency site")

    def items(self, council):
        rows = list(queries.resolutions_qs(council["id"])[:30])
        for row in rows:
            row["council_slug"] = council["slug"]
        return queries._with_publication(rows, "resolution")

    def item_title(self, item):
        return f"{item['number']} — {item['title']}"

    def item_description(self, item):
        return item["summary"] or item["title"]

    def item_link(self, item):
        return reverse("public:resolution", args=[item["council_slug"], item["id"]])

    def item_pubdate(self, item):
        return item["published_at"]

    def item_updateddate(self, item):
        return item["published_at"]


class PetitionFeed(_CouncilFeed):
    def title(self, council):
        return _("Answered voter petitions — People's Council of %(name)s") % {"name": council["name"]}

    def subtitle(self, council):
        return _("Voter petitions whose answer was published")

    def items(self, council):
        rows = list(queries.petitions_qs(council["id"], answered=True).order_by("-response_date", "-id")[:30])
        for row in rows:
            row["council_slug"] = council["slug"]
        return rows

    def item_title(self, item):
        text = " ".join(item["content"].split())
        return text[:120] + ("…" if len(text) > 120 else "")

    def item_description(self, item):
        return item["response_text"]

    def item_link(self, item):
        return reverse("public:petition", args=[item["council_slug"], item["id"]])

    def item_pubdate(self, item):
        return item["updated_at"]

    def item_updateddate(self, item):
        return item["updated_at"]
