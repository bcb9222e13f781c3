"""`make bench-lighthouse` (and the end of `make bench`): Lighthouse scores of the main pages.

Serves a fresh SQLite database with the bundled banks (gunicorn, 127.0.0.1, a free port),
registers a learner, starts a quick quiz and opens the flashcards, then runs Lighthouse
(npm `lighthouse`, installed into bench/node_modules when missing; Chromium at CHROME_PATH,
default /usr/bin/chromium; no network needed) on: home, catalog, a quiz question, the study
card and progress. Lighthouse's defaults: a mobile device with simulated slow 4G and a 4×
slower CPU. Each page is run three times (--runs) and the run with the median performance
score is reported, as Lighthouse advises: on a busy 2-core machine single runs vary.

Prints one JSON line per page on stdout (progress on stderr) and writes them to
bench/results/lighthouse.jsonl, the full reports to bench/results/lighthouse-PAGE-RUN.json:
    {"bench": "lighthouse", "page": …, "path": …, "runs": 3, "performance_runs": [sorted scores],
     "performance": 0–100 (median run), "accessibility": …,
     "best-practices": …, "transfer_bytes": …, "fcp_ms": …, "lcp_ms": …, "tbt_ms": …, "cls": …,
     "failing": [audits below full marks that count in a category]}

    python bench/lighthouse.py [--pages home,quiz] [--runs 3] [--quiz-type order]
"""
from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import dataset  # noqa: E402
from dataset import BENCH, ROOT, VENV_BIN, log  # noqa: E402
from run import RESULTS, Server  # noqa: E402

LIGHTHOUSE_VERSION = "12.8.2"
LIGHTHOUSE = BENCH / "node_modules" / ".bin" / "lighthouse"
CHROME_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"]
CATEGORIES = ("performance", "accessibility", "best-practices")
CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
EMAIL, PASSWORD = "lighthouse@example.org", "lighthouse password"


def ensure_lighthouse() -> None:
    """npm install lighthouse into bench/node_modules unless it is there."""
    if LIGHTHOUSE.exists():
        return
    log(f"installing lighthouse {LIGHTHOUSE_VERSION} into bench/node_modules (npm)")
    subprocess.run(["npm", "install", "--prefix", str(BENCH), "--no-audit", "--no-fund", "--no-save",
                    f"lighthouse@{LIGHTHOUSE_VERSION}"], check=True, stdout=sys.stderr)


class Visitor:
    """A browser-like HTTP client with cookies, to make the state the pages show."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> tuple[str, str]:
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.geturl(), response.read().decode()

    def post(self, path: str, form_page: str, data: dict[str, Any]) -> tuple[str, str]:
        """POST a form found on form_page (its CSRF token included); follows the redirect."""
        _, html = self.get(form_page)
        match = CSRF_RE.search(html)
        assert match, f"no CSRF token on {form_page}"
        body = urllib.parse.urlencode({**data, "csrf_token": match.group(1)}, doseq=True).encode()
        with self.opener.open(self.base + path, data=body, timeout=30) as response:
            return response.geturl(), response.read().decode()

    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)


def prepare(base: str, quiz_type: str | None) -> tuple[dict[str, str], str, str]:
    """The pages to measure (name -> path), the Cookie header of a learner in the middle of things,
    and the type of the quiz question measured (a quick quiz starts with a random one)."""
    visitor = Visitor(base)
    visitor.post("/auth/register", "/auth/register", {"email": EMAIL, "password": PASSWORD, "confirm": PASSWORD})
    if quiz_type:
        quiz_url, quiz_html = visitor.post("/quiz/new", "/quiz/new", {
            "banks": ["examples"], "types": [quiz_type], "count": "1", "mode": "practice"})
    else:
        quiz_url, quiz_html = visitor.post("/quiz/quick", "/banks/examples", {"bank": "examples"})
    assert "/q/" in quiz_url and "quiz-item" in quiz_html, quiz_url
    _, study_html = visitor.get("/study")
    assert 'id="study-card"' in study_html or "data-study" in study_html, "no flashcard on /study"
    pages = {"home": "/", "catalog": "/banks/examples", "quiz": urllib.parse.urlsplit(quiz_url).path,
             "study": "/study", "progress": "/progress"}
    question_type = re.search(r'class="quiz-item quiz-item-(\w+)', quiz_html)
    return pages, visitor.cookie_header(), question_type.group(1) if question_type else "?"


def audit(url: str, cookie: str, report_path: Path) -> dict[str, Any]:
    """Run Lighthouse on one URL; the figures of its JSON report."""
    env = dict(os.environ, CHROME_PATH=os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
    subprocess.run(
        [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report_path}",
         f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={' '.join(CHROME_FLAGS)}",
         f"--extra-headers={json.dumps({'Cookie': cookie})}"],
        check=True, env=env, stdout=sys.stderr, stderr=sys.stderr)
    report = json.loads(report_path.read_text())
    audits = report["audits"]
    failing = sorted({ref["id"] for name in CATEGORIES for ref in report["categories"][name]["auditRefs"]
                      if ref.get("weight") and audits[ref["id"]].get("score") is not None
                      and audits[ref["id"]]["score"] < 1})

    def numeric(audit_id: str) -> float | None:
        value = audits.get(audit_id, {}).get("numericValue")
        return round(value, 3 if audit_id == "cumulative-layout-shift" else None) if value is not None else None

    return {
        **{name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES},
        "transfer_bytes": numeric("total-byte-weight"), "fcp_ms": numeric("first-contentful-paint"),
        "lcp_ms": numeric("largest-contentful-paint"), "tbt_ms": numeric("total-blocking-time"),
        "cls": numeric("cumulative-layout-shift"), "failing": failing,
        "lighthouse": report.get("lighthouseVersion"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", help="comma-separated page names (default: all)")
    parser.add_argument("--quiz-type", help="measure a question of this type (default: a quick quiz's first)")
    parser.add_argument("--runs", type=int, default=3,
                        help="Lighthouse runs per page; the line is the run with the median performance")
    args = parser.parse_args()
    ensure_lighthouse()
    RESULTS.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="quiz-lighthouse-"))
    server: Server | None = None
    try:
        database_url = f"sqlite:///{workdir / 'quiz.sqlite3'}"
        env = dataset.app_env(database_url, workdir / "instance")
        for command in (["db", "upgrade"], ["banks", "sync"]):
            subprocess.run([str(VENV_BIN / "flask"), "--app", "wsgi", *command], cwd=ROOT, env=env, check=True,
                           stdout=sys.stderr, stderr=sys.stderr)
        server = Server(database_url, RESULTS / "gunicorn-lighthouse.log")
        pages, cookie, question_type = prepare(server.url, args.quiz_type)
        wanted = args.pages.split(",") if args.pages else list(pages)
        lines = []
        for name in wanted:
            log(f"lighthouse: {name} ({pages[name]})")
            runs = sorted((audit(server.url + pages[name], cookie, RESULTS / f"lighthouse-{name}-{run}.json")
                           for run in range(args.runs)), key=lambda r: r["performance"])
            result = {"bench": "lighthouse", "page": name, "path": pages[name],
                      **({"question_type": question_type} if name == "quiz" else {}), "runs": args.runs,
                      "performance_runs": [r["performance"] for r in runs], **runs[len(runs) // 2]}
            line = json.dumps(result)
            print(line, flush=True)
            lines.append(line)
        (RESULTS / "lighthouse.jsonl").write_text("\n".join(lines) + "\n")
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
