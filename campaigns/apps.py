from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    """Campaigns, contact lists and contacts: who outreach goes to and what it says. The top of the stack."""

    name = "campaigns"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from agents.llm import register_contact_finder
        from campaigns.demo import seed_demo_identities
        from campaigns.models import Contact
        from campaigns.services import stop_sequences_of_suppressed
        from inboxes.suppression import register_suppression_listener
        from inboxes.unsubscribe import register_contact_lookup
        from ops.seed import register_demo_seed

        # An unsubscribe link names a contact by id; inboxes asks this app who that is (it sits below).
        register_contact_lookup(Contact.of_organization)
        # Before a text goes to an LLM, the gateway's callers ask who it names and whether they consented.
        register_contact_finder("campaigns.contacts", Contact.named_for_llm)
        # A suppressed person's sequences stop at once (inboxes sits below and cannot import enrollments).
        register_suppression_listener("campaigns.enrollments", stop_sequences_of_suppressed)
        register_demo_seed("sending identities", seed_demo_identities, order=20)
