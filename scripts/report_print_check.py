#!/usr/bin/env python3
"""Prints an RPTDose HTML report in the real headless Chromium and checks the print layout.

Usage: report_print_check.py REPORT.html [--expect TEXT] [--screenshot OUT.png --width PX]

Talks to Chromium over its DevTools protocol (--remote-debugging-pipe; standard library only) and, for
A4 and US Letter paper:
  1. emulates print media at the page's text width (paper width minus the @page side margins) and
     measures with the browser's DOM every table, chart (svg), image and figure: its right edge must lie
     within the text width;
  2. prints the PDF (Page.printToPDF, paper size from the arguments) and reads each page's text with
     pypdf: every page must show "Page i of N" and, with --expect, the given text (e.g. the patient ID).
Prints a JSON summary; exits 1 on any failure.
With --screenshot, instead takes a full-page PNG of the report on screen at --width CSS px; with
--screenshots DIR, the parts shown in docs/report.md (report-1…4.png).
"""
import base64, json, os, subprocess, sys, tempfile, io, pathlib

MM = 96 / 25.4          # CSS px per mm
SIDE_MARGIN_MM = 12     # @page side margins of ReportHTML.stylesheet
PAPERS = {"A4": (210.0, 297.0), "Letter": (215.9, 279.4)}


class Chromium:
    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="rpt-print-check-")
        to_browser_r, self.to_browser = os.pipe()
        self.from_browser, from_browser_w = os.pipe()
        os.set_inheritable(to_browser_r, True); os.set_inheritable(from_browser_w, True)
        os.set_inheritable(self.to_browser, False); os.set_inheritable(self.from_browser, False)
        program = next(p for p in ("chromium", "chromium-browser", "google-chrome") if shutil_which(p))
        # The browser reads commands on fd 3 and writes replies on fd 4.
        self.proc = subprocess.Popen(
            [program, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--remote-debugging-pipe",
             "--user-data-dir=" + self.profile, "about:blank"],
            close_fds=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=lambda: (os.dup2(to_browser_r, 3), os.dup2(from_browser_w, 4)))
        os.close(to_browser_r); os.close(from_browser_w)
        self.buffer = b""; self.next_id = 0; self.events = []

    def send(self, method, params=None, session=None):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session: msg["sessionId"] = session
        os.write(self.to_browser, json.dumps(msg).encode() + b"\0")
        while True:
            reply = self.read()
            if reply.get("id") == self.next_id:
                if "error" in reply: raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]
            self.events.append(reply)

    def read(self):
        while b"\0" not in self.buffer:
            chunk = os.read(self.from_browser, 1 << 20)
            if not chunk: raise RuntimeError("Chromium closed the DevTools pipe")
            self.buffer += chunk
        msg, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(msg)

    def wait_event(self, method, session):
        for n, e in enumerate(self.events):
            if e.get("method") == method and e.get("sessionId") == session:
                del self.events[n]; return e
        while True:
            e = self.read()
            if e.get("method") == method and e.get("sessionId") == session: return e
            self.events.append(e)

    def open(self, url):
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        self.send("Page.enable", session=session)
        self.send("Page.navigate", {"url": url}, session=session)
        self.wait_event("Page.loadEventFired", session)
        return session

    def close(self):
        try: self.send("Browser.close")
        except Exception: pass
        self.proc.wait(timeout=30)
        subprocess.run(["rm", "-rf", self.profile])


def shutil_which(name):
    import shutil
    return shutil.which(name)


MEASURE = """
(() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const e of document.querySelectorAll('table, svg, img, figure, pre')) {
    if (e.closest('svg') && e.tagName.toLowerCase() !== 'svg') continue;
    const r = e.getBoundingClientRect();
    const caption = (e.querySelector && e.querySelector('caption, figcaption, title')) || null;
    out.push({tag: e.tagName.toLowerCase(), right: r.right, width: r.width,
              scroll: e.tagName.toLowerCase() === 'table' ? e.scrollWidth : r.width,
              name: caption ? caption.textContent.slice(0, 60) : ''});
  }
  return JSON.stringify({textWidth: width, elements: out});
})()
"""


def check(report, expect):
    import pypdf
    url = pathlib.Path(report).resolve().as_uri()
    browser = Chromium()
    summary = {"papers": {}, "failures": []}
    try:
        session = browser.open(url)
        browser.send("Emulation.setEmulatedMedia", {"media": "print"}, session=session)
        for paper, (w_mm, h_mm) in PAPERS.items():
            text_px = round((w_mm - 2 * SIDE_MARGIN_MM) * MM)
            browser.send("Emulation.setDeviceMetricsOverride",
                         {"width": text_px, "height": 1200, "deviceScaleFactor": 1, "mobile": False}, session=session)
            r = browser.send("Runtime.evaluate", {"expression": MEASURE, "returnByValue": True}, session=session)
            m = json.loads(r["result"]["value"])
            too_wide = [e for e in m["elements"] if e["right"] > m["textWidth"] + 0.5 or e["scroll"] > e["width"] + 0.5]
            for e in too_wide:
                summary["failures"].append(f"{paper}: {e['tag']} '{e['name']}' is {e['right']:.0f} px wide "
                                           f"(scroll {e['scroll']:.0f}) > text width {m['textWidth']} px")
            browser.send("Emulation.clearDeviceMetricsOverride", session=session)
            pdf = browser.send("Page.printToPDF", {"paperWidth": w_mm / 25.4, "paperHeight": h_mm / 25.4,
                                                   "preferCSSPageSize": False, "printBackground": True}, session=session)
            reader = pypdf.PdfReader(io.BytesIO(base64.b64decode(pdf["data"])))
            n = len(reader.pages)
            pages_ok = 0
            for i, page in enumerate(reader.pages, 1):
                text = " ".join(page.extract_text().split())
                width_pt = float(page.mediabox.width)
                if abs(width_pt - w_mm / 25.4 * 72) > 1:
                    summary["failures"].append(f"{paper}: page {i} is {width_pt:.1f} pt wide")
                if f"Page {i} of {n}" not in text:
                    summary["failures"].append(f"{paper}: page {i} lacks 'Page {i} of {n}'")
                elif expect and expect not in text:
                    summary["failures"].append(f"{paper}: page {i} lacks '{expect}'")
                else:
                    pages_ok += 1
            summary["papers"][paper] = {"textWidthPx": m["textWidth"], "measured": len(m["elements"]),
                                        "pages": n, "pagesOK": pages_ok}
    finally:
        browser.close()
    return summary


def screenshot(report, out, width):
    url = pathlib.Path(report).resolve().as_uri()
    browser = Chromium()
    try:
        session = browser.open(url)
        h = browser.send("Runtime.evaluate", {"expression": "document.documentElement.scrollHeight", "returnByValue": True},
                         session=session)["result"]["value"]
        browser.send("Emulation.setDeviceMetricsOverride",
                     {"width": width, "height": int(h), "deviceScaleFactor": 1, "mobile": False}, session=session)
        png = browser.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}, session=session)
        pathlib.Path(out).write_bytes(base64.b64decode(png["data"]))
    finally:
        browser.close()


CLIPS = """
(() => {
  const sections = [...document.querySelectorAll('section')];
  const find = (text) => sections.find(s => (s.querySelector('h2') || {}).textContent?.startsWith(text));
  const box = (e, maxHeight) => { const r = e.getBoundingClientRect();
    return {x: 0, y: r.top + window.scrollY, width: document.documentElement.clientWidth,
            height: Math.min(r.height, maxHeight || 1e9), scale: 1}; };
  const first = sections[0].getBoundingClientRect().top + window.scrollY;
  const out = {'report-1.png': {x: 0, y: 0, width: document.documentElement.clientWidth, height: first, scale: 1}};
  const maps = find('Cycle 1: absorbed dose maps'); if (maps) out['report-2.png'] = box(maps, 2300);
  const doses = find('Cycle 1: region doses'); if (doses) out['report-3.png'] = box(doses);
  const plan = find('Treatment plan'); if (plan) out['report-4.png'] = box(plan, 1600);
  return JSON.stringify(out);
})()
"""


def screenshots(report, folder, width):
    """The report's header, first dose maps, region doses and plan as PNGs (report-1…4.png) in `folder`."""
    url = pathlib.Path(report).resolve().as_uri()
    browser = Chromium()
    written = []
    try:
        session = browser.open(url)
        browser.send("Emulation.setDeviceMetricsOverride",
                     {"width": width, "height": 1200, "deviceScaleFactor": 1, "mobile": False}, session=session)
        clips = json.loads(browser.send("Runtime.evaluate", {"expression": CLIPS, "returnByValue": True},
                                        session=session)["result"]["value"])
        for name, clip in clips.items():
            png = browser.send("Page.captureScreenshot", {"format": "png", "clip": clip, "captureBeyondViewport": True},
                               session=session)
            path = pathlib.Path(folder) / name
            path.write_bytes(base64.b64decode(png["data"]))
            written.append(str(path))
    finally:
        browser.close()
    return written


def main(argv):
    import argparse
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("report"); p.add_argument("--expect"); p.add_argument("--screenshot"); p.add_argument("--width", type=int, default=1200)
    p.add_argument("--screenshots", metavar="DIR", help="write report-1…4.png (header, dose maps, region doses, plan) to DIR")
    a = p.parse_args(argv)
    if a.screenshots:
        print("\n".join(screenshots(a.report, a.screenshots, a.width))); return 0
    if a.screenshot:
        screenshot(a.report, a.screenshot, a.width); return 0
    s = check(a.report, a.expect)
    print(json.dumps(s))
    return 1 if s["failures"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
