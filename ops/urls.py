from django.urls import path

from ops.views import healthz

urlpatterns = [path("healthz", healthz, name="healthz")]
