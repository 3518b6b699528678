import re

from playwright.sync_api import expect
from pypdf import PdfReader

from samtal.demo.management.commands.seed_demo import load_demo, read_demo_file
from tests.browser.conftest import log_in
from tests.factories import default_version


def test_facilitator_downloads_the_finished_a3_as_pdf(page, live_server, assert_accessible):
    default_version()
    load_demo(read_demo_file())
    log_in(page, live_server, "samtalsledare", assert_accessible, password="samtal-demo-2026")
    assert_accessible(page)
    page.get_by_role("region", name="Avslutade").get_by_role("link", name="Hemtjänst").click()
    expect(page.get_by_role("heading", name=re.compile("Hemtjänst"), level=1)).to_be_visible()
    assert_accessible(page)

    downloads = page.get_by_role("region", name="Skriv ut och spara")
    expect(downloads.get_by_role("link", name="Skriv ut tom blankett")).to_have_count(0)
    with page.expect_download() as info:
        downloads.get_by_role("link", name="Ladda ner PDF", exact=True).click()
    download = info.value

    assert re.fullmatch(
        r"samtal-vard-och-omsorgsnamnden-hemtjanst-\d{4}-\d{2}-\d{2}\.pdf",
        download.suggested_filename,
    )
    pdf = PdfReader(download.path())
    assert pdf.metadata.title == "Samtalsmall – Hemtjänst"
    assert "Överenskomna önskningar" in pdf.pages[0].extract_text()


def test_facilitator_prints_the_empty_form_for_a_planned_meeting(
    page, live_server, assert_accessible
):
    default_version()
    load_demo(read_demo_file())
    log_in(page, live_server, "samtalsledare", assert_accessible, password="samtal-demo-2026")
    assert_accessible(page)
    page.get_by_role("region", name="Kommande").get_by_role("link", name="Grundskola").click()
    assert_accessible(page)
    with page.expect_download() as info:
        page.get_by_role("link", name="Skriv ut tom blankett").click()
    assert re.search(r"-grundskola-\d{4}-\d{2}-\d{2}-blankett\.pdf$", info.value.suggested_filename)
    assert len(PdfReader(info.value.path()).pages) == 1
