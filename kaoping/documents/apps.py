from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """公文: the official documents a branch files (Word files filled from its records)."""

    name = "kaoping.documents"
    label = "documents"
