from django.urls import path

from . import archive_views, template_views, views

app_name = "documents"

urlpatterns = [
    path(
        "members/<code:code>/documents/<year:year>/registration-form.docx",
        views.registration_form,
        name="registration_form",
    ),
    path(
        "members/<code:code>/documents/<year:year>/registration-form.pdf",
        views.registration_form_pdf_page,
        name="registration_form_pdf",
    ),
    path(
        "branches/<code:code>/documents/<year:year>/results-notice.docx",
        views.results_notice,
        name="results_notice",
    ),
    path(
        "branches/<code:code>/documents/<year:year>/results-notice.pdf",
        views.results_notice_pdf_page,
        name="results_notice_pdf",
    ),
    path("meetings/<code:code>/minutes.docx", views.meeting_minutes, name="meeting_minutes"),
    path(
        "meetings/<code:code>/minutes.pdf",
        views.meeting_minutes_pdf_page,
        name="meeting_minutes_pdf",
    ),
    path(
        "branches/<code:code>/documents/<year:year>/annual-report.docx",
        views.annual_report,
        name="annual_report",
    ),
    path(
        "branches/<code:code>/documents/<year:year>/annual-report.pdf",
        views.annual_report_pdf_page,
        name="annual_report_pdf",
    ),
    path(
        "members/<code:code>/documents/<year:year>/ledger.pdf",
        views.member_ledger_pdf_page,
        name="member_ledger_pdf",
    ),
    path(
        "unqualified/<code:code>/documents.docx",
        views.unqualified_case,
        name="unqualified_case",
    ),
    path(
        "unqualified/<code:code>/documents.pdf",
        views.unqualified_case_pdf_page,
        name="unqualified_case_pdf",
    ),
    path(
        "branches/<code:code>/documents/<year:year>/archive.zip",
        archive_views.year_archive,
        name="year_archive",
    ),
    path(
        "branches/<code:code>/documents/<year:year>/archive/",
        archive_views.year_archive_panel,
        name="year_archive_panel",
    ),
    path(
        "branches/<code:code>/documents/<year:year>/archive/build/",
        archive_views.year_archive_build,
        name="year_archive_build",
    ),
    path(
        "unqualified/<code:code>/case-file.pdf",
        views.unqualified_case_file_pdf_page,
        name="unqualified_case_file_pdf",
    ),
    path("documents/templates/", template_views.templates, name="templates"),
    path(
        "documents/templates/<slug:kind>/default.docx",
        template_views.default_template,
        name="template_default",
    ),
    path(
        "documents/templates/<int:pk>/file.docx", template_views.template_file, name="template_file"
    ),
]
