"""Writing many new rows of a model in one ``COPY`` (PostgreSQL), for the hot batch paths.

Why not ``bulk_create``: for a batch of 25 missions and their 25 events, Django's bulk insert spent about a third
of the web worker's CPU for ``POST /api/rex/commands`` preparing each value of each field (``get_db_prep_save``,
~15 µs each, ~1 000 values a batch) and then dumping every column as an array (its ``UNNEST`` form), in Python
(cProfile with a CPU clock, docs/performance.md). ``COPY`` hands the values to psycopg's C dumpers as they are.

It is only as general as the fields it knows: the value an instance holds is what is stored, which is true of the
kinds listed in ``_CONVERTERS`` (no ``pre_save`` of their own: no ``auto_now``, no file fields). A model with any
other kind, or another database, takes ``bulk_create``. Defaults, callable ones included, were applied when the
instances were built; an auto-increment primary key is left to the database and not read back (callers that need
it use ``bulk_create``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import connections, models
from psycopg.types.json import Jsonb


def _text(value: Any) -> Any:
    # A TextChoices member is a str whose str() is its value; never let a dumper pick its enum name.
    return None if value is None else str(value)


def _json(value: Any) -> Any:
    return None if value is None else Jsonb(value)


def _as_is(value: Any) -> Any:
    return value


_CONVERTERS: tuple[tuple[type[models.Field], Callable[[Any], Any]], ...] = (
    (models.JSONField, _json),
    (models.CharField, _text),
    (models.TextField, _text),
    (models.UUIDField, _as_is),
    (models.IntegerField, _as_is),  # and its Big / Positive / auto kinds
    (models.BooleanField, _as_is),
    # PostgreSQL rounds to the column's scale on input, as DecimalField's own preparation would.
    (models.DecimalField, _as_is),
    (models.ForeignKey, _as_is),  # by attname: the related row's key
)


def _converter(field: models.Field) -> Callable[[Any], Any] | None:
    if isinstance(field, models.DateTimeField):
        return None if (field.auto_now or field.auto_now_add) else _as_is
    if isinstance(field, models.DateField | models.FileField):
        return None
    return next((convert for kind, convert in _CONVERTERS if isinstance(field, kind)), None)


_plans: dict[type[models.Model], tuple[str, list[str], list[Callable[[Any], Any]]] | None] = {}


def _plan(model: type[models.Model]) -> tuple[str, list[str], list[Callable[[Any], Any]]] | None:
    """The COPY statement, the attnames and the converters of ``model``'s columns; None if a field is of a kind not
    known here or its value is computed by the database."""
    if model not in _plans:
        fields = [field for field in model._meta.concrete_fields
                  if not (field.primary_key and isinstance(field, models.AutoField | models.BigAutoField))]
        converters = [_converter(field) for field in fields]
        computed = any(field.has_db_default() or getattr(field, "generated", False) for field in fields)
        if computed or any(convert is None for convert in converters):
            _plans[model] = None
        else:
            columns = ", ".join(f'"{field.column}"' for field in fields)
            _plans[model] = (f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN',
                             [field.attname for field in fields], converters)  # type: ignore[misc]
    return _plans[model]


def insert_new_rows(objs: Sequence[models.Model], *, using: str = "default") -> None:
    """Store ``objs`` (new instances of one model) in one statement: ``COPY`` on PostgreSQL, else ``bulk_create``.

    Constraint violations raise Django's ``IntegrityError``, as ``bulk_create`` would; like it, no signals are sent.
    """
    if not objs:
        return
    model = type(objs[0])
    connection = connections[using]
    plan = _plan(model) if connection.vendor == "postgresql" else None
    if plan is None:
        model._base_manager.using(using).bulk_create(objs)
        return
    statement, attnames, converters = plan
    with connection.cursor() as cursor, connection.wrap_database_errors, cursor.copy(statement) as copy:
        for obj in objs:
            values = obj.__dict__
            copy.write_row([convert(values[attname]) for attname, convert in zip(attnames, converters, strict=True)])
    for obj in objs:
        obj._state.adding = False
        obj._state.db = using
