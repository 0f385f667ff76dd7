"""The site's URLs: the platform's own (login, admin, API schema) and each app's URL module, included whole.

A composition root: it may import every app (rex_project/layers.py). Each app's ``urls.py`` names its full paths
(pages at the root, API under ``api/``), so adding an app is one ``include`` here.
"""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

APPS_WITH_URLS = ("ops", "agents", "missions", "billing", "domains", "inboxes", "campaigns", "replies", "sms",
                  "meetings", "analytics", "monitoring", "privacy")

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Our template: drf-spectacular's own starts Swagger UI with an inline script, which the CSP refuses.
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema", template_name="api/swagger_ui.html"),
         name="swagger-ui"),
    *(path("", include(f"{app}.urls")) for app in APPS_WITH_URLS),
]
