"""Paginators of the list pages and the API lists."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination

from .rowcounts import scope_count


class RowsFirstPaginator(Paginator):
    """Reads the first page's rows before counting: a first page that is not full is every row,
    so its length is the count and no COUNT query runs (a commune's lists, a city's sessions).
    A full first page is counted as Django counts it, after its rows; any other page as Django
    does. The page's rows are an evaluated queryset, as Django's page would be once iterated.

    A view that reads its page as a queryset of ids (values_list) sets `rows_first = False`:
    the wide rows read first would be read for nothing."""

    rows_first = True

    def page(self, number):
        if not (
            self.rows_first
            and number in (1, "1")
            and "count" not in self.__dict__
            and not self.orphans
            and isinstance(self.object_list, QuerySet)
        ):
            return super().page(number)
        rows = self.object_list[: self.per_page]
        rows._fetch_all()
        if len(rows) < self.per_page:
            self.__dict__["count"] = self.rows_counted(len(rows))  # Paginator.count is a cached_property
        self.validate_number(1)  # a full page: counted here; no rows: EmptyPage unless allowed
        return self._get_page(rows, 1, self)

    def rows_counted(self, rows: int) -> int:
        """The count of a list that is the `rows` of its first page."""
        return rows

    @cached_property
    def count(self) -> int:
        """A council's whole register of a counted table from its held numbers (core.rowcounts),
        anything else as Django counts it."""
        held = scope_count(self.object_list) if isinstance(self.object_list, QuerySet) else None
        return Paginator.count.func(self) if held is None else held


class PortalPageNumberPagination(PageNumberPagination):
    """DRF's page-number pagination (?page=, PAGE_SIZE) on RowsFirstPaginator."""

    django_paginator_class = RowsFirstPaginator
