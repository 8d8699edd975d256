from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """公文: the official documents a branch files (Word files filled from its records)."""

    name = "kaoping.documents"
    label = "documents"

    def ready(self) -> None:
        from kaoping.publication.signals import branch_year_finalised

        from .background import year_archive_on_finalise

        branch_year_finalised.connect(year_archive_on_finalise, dispatch_uid="year_archive")
