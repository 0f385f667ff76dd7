from campaigns.tests.conftest import run_sequencer, sequence_world  # noqa: F401 - the campaigns tests' sequence world
