"""Admin pieces every app's admin uses, written once."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import admin
from django.http import HttpRequest


class ReadOnlyAdminMixin:
    """For rows only REX writes (audit trails, ledgers, counters, records of what happened): ops read them and
    never add or edit them by hand, which would make them lie about what happened.

    ``deletable`` keeps deleting for the records ops may prune (old checks, decisions); it is off by default.
    Works on a ``ModelAdmin`` and on an inline (their permission methods differ only by the inline's ``obj``).
    """

    deletable: ClassVar[bool] = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.deletable and super().has_delete_permission(request, obj)  # type: ignore[misc]


class ReadOnlyTabularInline(ReadOnlyAdminMixin, admin.TabularInline):
    """The rows of a parent shown on its page, read-only: every listed field is shown, none can be edited."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [*(self.fields or ()), *self.readonly_fields]
