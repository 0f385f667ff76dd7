from django.apps import AppConfig


class RepliesConfig(AppConfig):
    """What comes back: inbound mail read over IMAP, triaged (rules first), matched to its sequence and acted on.

    The top of the stack: it reads inboxes (below) and moves enrollments and contacts (campaigns, below).
    """

    name = "replies"
    default_auto_field = "django.db.models.BigAutoField"
