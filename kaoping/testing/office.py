"""A real office client in tests: LibreOffice headless prints files (.xlsx, .docx) to
PDF as an office worker's Word, WPS or Excel would. Skipped without it, failed when
KAOPING_REQUIRE_BROWSER=1 (as in CI, where .ci/run installs LibreOffice Calc and Writer)."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from pypdf import PdfReader

OFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture
def office() -> str:
    if OFFICE is None:
        reason = "LibreOffice is missing: the office-client tests need libreoffice"
        if os.environ.get("KAOPING_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return OFFICE


def office_to_pdf(
    office: str, files: dict[str, bytes], *, suffix: str = ".xlsx"
) -> dict[str, bytes]:
    """Every file (its name → its bytes, each a ``suffix`` file) printed to PDF by one
    headless LibreOffice with a profile of its own (so parallel runs do not share one)."""
    with tempfile.TemporaryDirectory(prefix="kaoping-office-") as tmp:
        root = Path(tmp)
        (root / "in").mkdir()
        paths = []
        for index, body in enumerate(files.values()):
            path = root / "in" / f"file{index}{suffix}"
            path.write_bytes(body)
            paths.append(str(path))
        subprocess.run(  # noqa: S603 - our own arguments
            [
                office,
                f"-env:UserInstallation=file://{root}/profile",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(root / "out"),
                *paths,
            ],
            check=True,
            capture_output=True,
            timeout=240,  # a loaded machine; alone it takes seconds
        )
        return {
            name: (root / "out" / f"file{index}.pdf").read_bytes()
            for index, name in enumerate(files)
        }


def office_pdf_readers(office: str, files: dict[str, bytes]) -> dict[str, PdfReader]:
    """``office_to_pdf`` of spreadsheets, each opened with pypdf."""
    import io

    return {name: PdfReader(io.BytesIO(pdf)) for name, pdf in office_to_pdf(office, files).items()}


def pdftotext(pdf: bytes) -> str:
    """The text of a PDF as poppler's pdftotext reads it (layout kept)."""
    tool = shutil.which("pdftotext")
    if tool is None:
        reason = "poppler-utils is missing: pdftotext reads the printed documents"
        if os.environ.get("KAOPING_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    answer = subprocess.run(  # noqa: S603 - our own arguments
        [tool, "-layout", "-", "-"], input=pdf, check=True, capture_output=True, timeout=60
    )
    return answer.stdout.decode()
