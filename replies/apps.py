from django.apps import AppConfig


class RepliesConfig(AppConfig):
    """What comes back: inbound mail read over IMAP, triaged (rules first), matched to its sequence and acted on.

    The top of the stack: it reads inboxes (below) and moves enrollments and contacts (campaigns, below).
    """

    name = "replies"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from replies import pipeline
        from replies.imap import register_new_message_handler

        # Each batch the poller commits is matched, triaged and acted on at once (after its commit).
        register_new_message_handler(pipeline.process)
