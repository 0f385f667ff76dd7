from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    """The figures a sales team reads: daily rollup rows per campaign, step, variant, inbox and domain, the
    /analytics/ page, its CSV export and ``GET /api/analytics/``.

    It only reads what the apps below it record (messages, bounces, replies, enrollment moves) and sits above them
    all; nothing below imports it.
    """

    name = "analytics"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from analytics.rollup import STREAM, STREAM_DESCRIPTION
        from live.streams import register_stream

        register_stream(STREAM, STREAM_DESCRIPTION)
