"""Take screenshots of the main pages of a running Samtal (for looking at them).

    .venv/bin/python scripts/screenshots.py [BASE_URL] [OUT_DIR]
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(sys.argv[2] if len(sys.argv) > 2 else "screenshots")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PAGES = [("mina-samtal", "/samtal/")]


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for width, height, suffix in [(1440, 900, "desktop"), (375, 740, "phone")]:
            page = browser.new_page(viewport={"width": width, "height": height}, locale="sv-SE")
            page.goto(f"{BASE}/logga-in/")
            page.screenshot(path=OUT / f"login-{suffix}.png", full_page=True)
            page.fill("#id_username", "samtalsledare")
            page.fill("#id_password", "samtal-demo-2026")
            page.click("button[type=submit]")
            page.wait_for_load_state("load")
            page.screenshot(path=OUT / f"mina-samtal-{suffix}.png", full_page=True)
            for link in page.locator(".meeting-card__title a").all():
                name = link.inner_text().lower().replace(" ", "-")
                href = link.get_attribute("href")
                other = browser.new_page(viewport={"width": width, "height": height})
                other.context.add_cookies(page.context.cookies())
                other.goto(BASE + href)
                other.screenshot(path=OUT / f"samtal-{name}-{suffix}.png", full_page=True)
                other.close()
            page.close()
        browser.close()
    print(f"screenshots in {OUT}/")


if __name__ == "__main__":
    main()
