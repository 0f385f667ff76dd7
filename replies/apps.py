from django.apps import AppConfig


class RepliesConfig(AppConfig):
    """What comes back: inbound mail read over IMAP, triaged (rules first), matched to its sequence and acted on.

    The top of the stack: it reads inboxes (below) and moves enrollments and contacts (campaigns, below).
    """

    name = "replies"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from live.streams import register_stream
        from missions.decision.recording import register_decision_source
        from replies import pipeline, receivers
        from replies.imap import register_new_message_handler
        from replies.models import InboundMessage
        from replies.services import STREAM, STREAM_DESCRIPTION, triage_layers

        register_stream(STREAM, STREAM_DESCRIPTION)
        # Every saved inbound message (a new one, its triage, a relabel) reaches the inbox pages after commit.
        post_save.connect(receivers.inbound_saved, sender=InboundMessage, dispatch_uid="replies.inbound_saved")
        # Each batch the poller commits is matched, triaged and acted on at once (after its commit).
        register_new_message_handler(pipeline.process)
        # Replies triaged by the rules or the LLM count in the dashboard's layer-share figure with the commands.
        register_decision_source("replies", triage_layers)
