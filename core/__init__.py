"""Shared non-app code of the platform layer: small pieces every app uses, written once.

Nothing here has models or imports a project app; any app may import it.
"""
