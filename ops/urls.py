from django.urls import path

from ops.views import healthz, metrics

urlpatterns = [path("healthz", healthz, name="healthz"), path("metrics", metrics, name="metrics")]
