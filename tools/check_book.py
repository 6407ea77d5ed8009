#!/usr/bin/python3
"""Open every page of the built HTML book in headless Chromium and check it.

    /usr/bin/python3 tools/check_book.py BUILD/book/html [--chapters SRC/chapters] [--diagrams SRC/docs/diagrams]
                                         [--pages SRC/docs]
    /usr/bin/python3 tools/check_book.py --self-test

A page fails when it has
  - math MathJax did not typeset (raw \\( \\[ \\f$ left in the text, or a MathJax error),
  - an image or embedded SVG that did not load,
  - an internal link to a missing file or a missing #anchor.
With --chapters, every chapter folder must have its page (chNN_name.html) and that page must
show at least one plot (an image chNN-*.svg that its program drew). With --diagrams, every
diagram source there (NAME.dot, NAME.svg) must be shown, as the loaded image diagram-NAME.svg,
on some page. With --pages, every page of the book's text (SRC/docs/*.md, named by the
{#anchor} of its title: the opening chapter, the chapters, the appendices) must be in the book
and linked from index.html, the navigation. Pages are served over http://127.0.0.1 (file:// hides some failures) and opened in Debian's
chromium, driven through the DevTools protocol on a pipe (no other package needed).
"""
import argparse
import functools
import html
import http.server
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import tempfile
import threading
import urllib.parse

import json
import select

CHROME_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1200,900"]

# Run in the page after load: wait for MathJax, then report what the checks need.
PAGE_PROBE = r"""
new Promise(done => {
function report() {
  const skip = new Set(['SCRIPT', 'STYLE', 'PRE', 'CODE', 'TEXTAREA']);
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
    acceptNode(n) {
      for (let p = n.parentElement; p; p = p.parentElement) {
        if (skip.has(p.tagName) || p.classList.contains('fragment') ||
            p.classList.contains('MathJax_Preview')) return NodeFilter.FILTER_REJECT;
      }
      return NodeFilter.FILTER_ACCEPT;
    }});
  const raw = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const t = n.textContent;
    const m = t.match(/\\\(|\\\)|\\\[|\\\]|\\f\$|\\f\[|\$\$/);
    if (m) raw.push(t.trim().slice(0, 80));
  }
  const images = [...document.images].map(i => ({src: i.getAttribute('src'),
      ok: i.complete && i.naturalWidth > 0}));
  const objects = [...document.querySelectorAll('object[data]')].map(o => ({src: o.getAttribute('data'),
      ok: !!(o.contentDocument && o.contentDocument.documentElement &&
             o.contentDocument.documentElement.nodeName.toLowerCase() === 'svg')}));
  const links = [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'));
  const errors = document.querySelectorAll('.MathJax_Error, .merror, merror, .mjx-merror').length;
  const typeset = document.querySelectorAll('.MathJax, .MathJax_Display, .MathJax_CHTML').length;
  done({raw, images, objects, links, errors, typeset, hasMathJax: !!window.MathJax});
}
function whenLoaded() {
  const objs = [...document.querySelectorAll('object[data]')];
  Promise.all(objs.map(o => o.contentDocument ? Promise.resolve() :
      new Promise(r => { o.addEventListener('load', r); o.addEventListener('error', r); setTimeout(r, 3000); })))
    .then(() => {
      if (window.MathJax && MathJax.Hub) MathJax.Hub.Queue(report);
      else report();
    });
}
if (document.readyState === 'complete') whenLoaded(); else window.addEventListener('load', whenLoaded);
})
"""


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(root):
    handler = functools.partial(QuietHandler, directory=root)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


def anchors_of(path, cache={}):
    if path not in cache:
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        cache[path] = set(re.findall(r'\b(?:id|name)\s*=\s*"([^"]+)"', text))
    return cache[path]


def check_link(root, page, href):
    """None if the internal link resolves, else what is wrong."""
    parts = urllib.parse.urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith("javascript:"):
        return None  # external (none should exist, but they are not this check's business)
    target = os.path.normpath(os.path.join(os.path.dirname(page), urllib.parse.unquote(parts.path))) \
        if parts.path else page
    if not os.path.isfile(target):
        return "broken link %s (no file %s)" % (href, os.path.relpath(target, root))
    if parts.fragment and target.endswith(".html") and parts.fragment not in anchors_of(target):
        return "broken link %s (no anchor #%s)" % (href, parts.fragment)
    return None


MATH_MARK = re.compile(r"\\\(|\\\[|\\f\$|\\f\[|\$\$")


def static_info(root, name):
    """What PAGE_PROBE reports, read from the file, for a page that needs no browser: one with
    no math (no MathJax to run, so nothing left untypeset) and no <object> (no SVG document to
    load); None for any other page. Images count as loaded when their file exists and is not
    empty."""
    with open(os.path.join(root, name), encoding="utf-8", errors="replace") as f:
        text = f.read()
    if MATH_MARK.search(text) or "<object" in text:
        return None
    def loaded(src):
        parts = urllib.parse.urlsplit(src)
        if parts.scheme or parts.netloc:
            return False
        path = os.path.join(root, urllib.parse.unquote(parts.path))
        return os.path.isfile(path) and os.path.getsize(path) > 0
    images = [{"src": src, "ok": loaded(src)}
              for src in map(html.unescape, re.findall(r'<img\b[^>]*?\bsrc="([^"]*)"', text))]
    links = [html.unescape(h) for h in re.findall(r'<a\b[^>]*?\bhref="([^"]*)"', text)]
    return {"raw": [], "images": images, "objects": [], "links": links, "errors": 0, "typeset": 0,
            "hasMathJax": False}


class Browser:
    """Headless Chromium driven through the DevTools protocol over a pipe
    (--remote-debugging-pipe): no chromedriver, no TCP port, no name resolution, so it works
    in a minimal Debian without /etc/hosts. Messages are JSON, each ended by a NUL byte."""

    def __init__(self, profile):
        cmd_r, self.cmd_w = os.pipe()   # we write commands, Chromium reads them on fd 3
        self.res_r, res_w = os.pipe()   # Chromium writes replies and events on fd 4

        def child_fds():
            os.dup2(cmd_r, 3)
            os.dup2(res_w, 4)

        self.proc = subprocess.Popen(
            ["/usr/bin/chromium"] + CHROME_FLAGS + ["--user-data-dir=" + profile,
                                                    "--remote-debugging-pipe", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, close_fds=False,
            preexec_fn=child_fds)
        os.close(cmd_r)
        os.close(res_w)
        self.buf = b""
        self.next_id = 0
        self.events = []
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        self.call("Page.enable", session=True)

    def _read_message(self, deadline):
        while b"\0" not in self.buf:
            left = deadline - time.time()
            if left <= 0 or not select.select([self.res_r], [], [], left)[0]:
                raise TimeoutError("Chromium did not answer in time")
            chunk = os.read(self.res_r, 1 << 16)
            if not chunk:
                raise RuntimeError("Chromium exited (is Debian's chromium installed?)")
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method, params=None, session=False, timeout=60):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = self.session
        os.write(self.cmd_w, json.dumps(msg).encode() + b"\0")
        deadline = time.time() + timeout
        while True:
            m = self._read_message(deadline)
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise RuntimeError("%s failed: %s" % (method, m["error"]))
                return m.get("result", {})
            if "method" in m:
                self.events.append(m["method"])

    def wait_event(self, name, timeout=60):
        deadline = time.time() + timeout
        while name not in self.events:
            m = self._read_message(deadline)
            if "method" in m:
                self.events.append(m["method"])
        self.events.clear()

    def open(self, url):
        self.events.clear()
        self.call("Page.navigate", {"url": url}, session=True)
        self.wait_event("Page.loadEventFired")

    def evaluate(self, promise_js, timeout=60):
        r = self.call("Runtime.evaluate", {"expression": promise_js, "awaitPromise": True,
                                           "returnByValue": True}, session=True, timeout=timeout)
        if "exceptionDetails" in r:
            raise RuntimeError("page script failed: %s" % r["exceptionDetails"].get("text"))
        return r["result"]["value"]

    def close(self):
        self.proc.kill()
        self.proc.wait()
        os.close(self.cmd_w)
        os.close(self.res_r)


def diagram_names(diagrams_dir):
    """The diagrams a book must show: docs/diagrams/NAME.dot or NAME.svg -> diagram-NAME.svg."""
    return sorted({"diagram-%s.svg" % os.path.splitext(f)[0] for f in os.listdir(diagrams_dir)
                   if f.endswith((".dot", ".svg"))})


def text_pages(docs_dir):
    """The pages the book's text defines: docs/NAME.md whose title carries {#anchor} -> anchor.html."""
    names = []
    for f in sorted(os.listdir(docs_dir)):
        if f.endswith(".md"):
            with open(os.path.join(docs_dir, f), encoding="utf-8") as fh:
                m = re.search(r"\{#([A-Za-z0-9_]+)\}", fh.readline())
            if m and m.group(1) != "mainpage":
                names.append(m.group(1) + ".html")
    return names


def check_book(root, chapters_dir=None, quiet=False, only=None, diagrams_dir=None, docs_dir=None):
    root = os.path.abspath(root)
    if not os.path.isfile(os.path.join(root, "index.html")):
        return ["%s: no index.html (was the book built?)" % root]
    pages = sorted(f for f in os.listdir(root) if f.endswith(".html"))
    problems = []
    expected = []
    if only:
        if only not in pages:
            return ["%s: no page %s" % (root, only)]
        pages = [only]
    if chapters_dir:
        expected = sorted(d for d in os.listdir(chapters_dir)
                          if re.match(r"ch\d\d_", d) and os.path.isdir(os.path.join(chapters_dir, d)))
        for ch in expected if not only else []:
            if ch + ".html" not in pages:
                problems.append("chapter %s has no page %s.html in the book" % (ch, ch))

    diagrams = diagram_names(diagrams_dir) if diagrams_dir and not only else []
    if docs_dir and not only:
        with open(os.path.join(root, "index.html"), encoding="utf-8", errors="replace") as fh:
            index = fh.read()
        for page in text_pages(docs_dir):
            if page not in pages:
                problems.append("page %s (from %s) is not in the book" % (page, docs_dir))
            elif not re.search(r'href="%s[#"]' % re.escape(page), index):
                problems.append("page %s is not in the navigation (no link from index.html)" % page)
    shown = set()  # diagram images that loaded on some page

    httpd = serve(root)
    base = "http://127.0.0.1:%d/" % httpd.server_address[1]
    # One headless Chromium per core (at most four), each with its own share of the pages.
    workers = max(1, min(os.cpu_count() or 1, 4, len(pages)))
    infos = {}
    failures = []
    # Pages without math or SVG objects (most of Doxygen's API and source pages) are read from
    # their files; the text pages, the chapters and every page with math go through a browser.
    text = set(text_pages(docs_dir)) if docs_dir else set()
    for name in pages:
        if name[:-5] not in expected and name not in text and name != "index.html":
            info = static_info(root, name)
            if info is not None:
                infos[name] = info
    browser_pages = [name for name in pages if name not in infos]
    workers = max(1, min(workers, len(browser_pages)))

    def probe(names):
        profile = tempfile.mkdtemp(prefix="dlbook-chromium-")
        browser = Browser(profile)
        try:
            for name in names:
                browser.open(base + name)
                infos[name] = browser.evaluate(PAGE_PROBE)
        except Exception as e:  # reported below, with the page it stopped at
            failures.append("browser stopped (%s) after %d of its %d pages" % (e, sum(n in infos for n in names), len(names)))
        finally:
            browser.close()
            shutil.rmtree(profile, ignore_errors=True)

    try:
        threads = [threading.Thread(target=probe, args=(browser_pages[k::workers],)) for k in range(workers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        httpd.shutdown()
    problems.extend(failures)
    for name in pages:
        if name not in infos:
            continue
        info = infos[name]
        where = name
        for text in info["raw"]:
            problems.append("%s: untypeset math: %r" % (where, text))
        if info["errors"]:
            problems.append("%s: %d MathJax errors" % (where, info["errors"]))
        for img in info["images"] + info["objects"]:
            if not img["ok"]:
                problems.append("%s: image did not load: %s" % (where, img["src"]))
        for href in info["links"]:
            bad = check_link(root, os.path.join(root, name), href)
            if bad:
                problems.append("%s: %s" % (where, bad))
        loaded = [i["src"] for i in info["images"] + info["objects"] if i["src"] and i["ok"]]
        shown.update(os.path.basename(src) for src in loaded)
        plots = [i for i in info["images"] + info["objects"] if i["src"] and
                 re.match(r"ch\d\d-.*\.svg$", os.path.basename(i["src"]))]
        if name[:-5] in expected and not plots:
            problems.append("%s: a chapter page with no plots" % where)
        if not quiet:
            print("checked %-40s math %3d  images %2d  links %3d" % (
                name, info["typeset"], len(info["images"]) + len(info["objects"]), len(info["links"])))
    for name in diagrams:
        if name not in shown:
            problems.append("diagram %s (from %s) is not shown on any page" % (name, diagrams_dir))
    return problems


def self_test():
    """The check must fail on a page with each kind of defect, and pass on a clean one."""
    d = tempfile.mkdtemp(prefix="dlbook-selftest-")
    try:
        mathjax = "/usr/share/javascript/mathjax"
        os.symlink(mathjax, os.path.join(d, "mathjax"))
        head = ('<html><head><script type="text/x-mathjax-config">MathJax.Hub.Config({extensions: '
                '["tex2jax.js"], jax: ["input/TeX","output/HTML-CSS"]});</script>'
                '<script src="mathjax/MathJax.js"></script></head><body>')
        svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'
        with open(os.path.join(d, "plot.svg"), "w") as f:
            f.write(svg)
        pages = {
            "index.html": 'Good math \\(a^2\\), <img src="plot.svg"> <a href="good.html#sec">ok</a>',
            "good.html": '<h2 id="sec">Section</h2> \\[ \\sum_i x_i \\]',
            "badmath.html": 'Broken: \\(\\frac{a}{\\)',
            "rawmath.html": 'Doxygen left it: \\f$ x^2 \\f$',
            "badimg.html": '<img src="missing.svg">',
            "badlink.html": '<a href="nowhere.html">x</a> <a href="good.html#nosuch">y</a>',
        }
        for name, body in pages.items():
            with open(os.path.join(d, name), "w") as f:
                f.write(head + body + "</body></html>")
        with open(os.path.join(d, "diagram-shown.svg"), "w") as f:
            f.write(svg)
        with open(os.path.join(d, "index.html"), "a") as f:
            f.write('<object type="image/svg+xml" data="diagram-shown.svg"></object>')
        dia = os.path.join(d, "diagram-sources")
        os.mkdir(dia)
        for name in ("shown.dot", "unused.dot"):
            open(os.path.join(dia, name), "w").close()
        docs = os.path.join(d, "doc-sources")
        os.mkdir(docs)
        for name, title in (("good.md", "# Good {#good}"), ("appendix.md", "# Not linked {#badimg}"),
                            ("missing.md", "# Not built {#nopage}")):
            with open(os.path.join(docs, name), "w") as f:
                f.write(title + "\n")
        problems = check_book(d, quiet=True, diagrams_dir=dia, docs_dir=docs)
        text = "\n".join(problems)
        print(text)
        expect = {"badmath.html": "MathJax error", "rawmath.html": "untypeset math",
                  "badimg.html": "image did not load", "badlink.html": "broken link"}
        ok = True
        for page, kind in expect.items():
            if not any(p.startswith(page) and (kind in p or kind.split()[-1] in p) for p in problems):
                print("SELF-TEST FAILED: %s was not flagged for %s" % (page, kind))
                ok = False
        if any(p.startswith(("index.html", "good.html")) for p in problems):
            print("SELF-TEST FAILED: a clean page was flagged")
            ok = False
        if not any("no anchor #nosuch" in p for p in problems):
            print("SELF-TEST FAILED: the missing anchor was not flagged")
            ok = False
        if not any("diagram-unused.svg" in p for p in problems) or any("diagram-shown.svg" in p for p in problems):
            print("SELF-TEST FAILED: the unshown diagram was not flagged, or the shown one was")
            ok = False
        if not any("nopage.html" in p and "not in the book" in p for p in problems) or \
           not any("badimg.html is not in the navigation" in p for p in problems) or \
           any(p.startswith("page good.html") for p in problems):
            print("SELF-TEST FAILED: a page missing from the book or the navigation was not flagged, or a linked one was")
            ok = False
        print("self-test", "passed" if ok else "FAILED")
        return 0 if ok else 1
    finally:
        shutil.rmtree(d, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("html", nargs="?", help="the book's html directory")
    ap.add_argument("--chapters", help="the chapters/ folder: every chapter needs a page with plots")
    ap.add_argument("--self-test", action="store_true", help="check that the checker catches defects")
    ap.add_argument("--only", help="check just this page (e.g. ch03_losses.html)")
    ap.add_argument("--diagrams", help="docs/diagrams: every diagram source must be shown on a page")
    ap.add_argument("--pages", help="docs/: every page of the text must be in the book and linked from index.html")
    args = ap.parse_args()
    if args.self_test:
        return self_test()
    if not args.html:
        ap.error("the html directory is required")
    problems = check_book(args.html, args.chapters, only=args.only, diagrams_dir=args.diagrams,
                          docs_dir=args.pages)
    if problems:
        print("\n%d problem(s) in the book:" % len(problems))
        for p in problems:
            print("  " + p)
        return 1
    print("book check passed: every page typeset, every image loaded, every link resolved" +
          (", every diagram shown" if args.diagrams else "") +
          (", every page of the text in the navigation" if args.pages else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
