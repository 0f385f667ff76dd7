"""Triage of inbound mail."""
