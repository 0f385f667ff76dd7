"""URLs of the agents app: the LLM provider's webhook for background answers."""

from django.urls import path

from agents.webhooks import llm_webhook

urlpatterns = [path("webhook/llm", llm_webhook, name="llm-webhook")]
