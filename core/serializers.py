"""A ModelSerializer that introspects its model once per class instead of once per instance.

DRF's ``ModelSerializer.get_fields`` reads the model's fields and builds a serializer field for each on every
instantiation; the API's mission serializers are instantiated once per mission in every response, so that
introspection was about a sixth of the web worker's CPU per ``POST /api/rex/command`` + ``GET`` pair (cProfile,
docs/performance.md). The result depends only on the class (its ``Meta`` and declared fields), so it is built once
and each instance gets a deep copy: DRF fields copy themselves by re-instantiating from their original arguments,
unbound, exactly as DRF already copies a serializer's declared fields per instance.
"""

from __future__ import annotations

import copy
import threading
from typing import Any, ClassVar

from rest_framework import serializers


class IntrospectOnceModelSerializer(serializers.ModelSerializer):
    _fields_by_class: ClassVar[dict[type, dict[str, Any]]] = {}
    _lock: ClassVar[threading.Lock] = threading.Lock()

    def get_fields(self) -> dict[str, Any]:
        cls = type(self)
        built = self._fields_by_class.get(cls)
        if built is None:
            built = super().get_fields()
            with self._lock:
                built = self._fields_by_class.setdefault(cls, built)
        return copy.deepcopy(built)
