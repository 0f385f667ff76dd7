"""The product's URLs plus ``POST /bench/bare-json``: the floor a Django view costs on this server.

The bare view goes through the same server, ASGI handler and middleware as the API, but does no authentication,
no database work and no serializer: ``API POST/s ÷ bare POST/s`` says what share of the server's capacity the
command endpoint's own work leaves.
"""

from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from rex_project.urls import urlpatterns as product_urlpatterns


@csrf_exempt
def bare_json(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True, "bytes": len(request.body)}, status=201)


urlpatterns = [path("bench/bare-json", bare_json), *product_urlpatterns]
