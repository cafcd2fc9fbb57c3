"""docs/adding-a-site.md, followed step by step for a fifth, made-up site in a copy of the project.

It shows what the guide promises: a new adapter is one spider file plus its
cases (and its tests), with no change in ``crawler/``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "guide" / "exampledaily-article.html"
SAMPLE_URL = "https://news.example.org/world/2021/10/18/lavrov-nato"


def tree_digest(folder: Path) -> dict[str, str]:
    return {str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*.py"))}  # fmt: skip


def copy_project(target: Path) -> None:
    """The project as a user's clone has it, without the four sites' cases (not needed here)."""
    shutil.copy(ROOT / "scrapy.cfg", target)
    for folder in ("settings", "spiders"):
        shutil.copytree(ROOT / folder, target / folder, ignore=shutil.ignore_patterns("__pycache__"))
    (target / "snapshots").mkdir()
    (target / "tests" / "spiders").mkdir(parents=True)
    for name in ("__init__.py", "conftest.py", "crawling.py", "inprocess.py", "test_snapshot_cases.py"):
        shutil.copy(ROOT / "tests" / name, target / "tests" / name)
    (target / "tests" / "spiders" / "__init__.py").touch()


def run(project: Path, *command: str, replay: bool = False) -> subprocess.CompletedProcess[str]:
    # The copy's spiders and settings first, then this checkout's framework (not whichever one is installed).
    env = {**os.environ, "PYTHONPATH": os.pathsep.join((str(project), str(ROOT)))}
    env.pop("SCRAPY_PROJECT", None)
    if replay:
        env["SCRAPY_PROJECT"] = "replay"
    return subprocess.run([sys.executable, "-m", *command], cwd=project, env=env, capture_output=True, text=True,
                          timeout=300)  # fmt: skip


def test_a_fifth_site_from_scratch(tmp_path: Path) -> None:
    crawler_before = tree_digest(ROOT / "crawler")
    project = tmp_path / "project"
    project.mkdir()
    copy_project(project)
    before = {path.relative_to(project) for path in project.rglob("*") if path.is_file()}

    # 1. newsite, with a saved sample page.
    made = run(project, "scrapy", "newsite", "exampledaily", "news.example.org", "--sample", str(SAMPLE),
               "--sample-url", SAMPLE_URL)  # fmt: skip
    assert made.returncode == 0, made.stderr
    spider_file = project / "spiders" / "exampledaily.py"
    source = spider_file.read_text(encoding="utf-8")
    assert "headline=('article.story h1.story-title',)" in source or "h1.story-title" in source
    assert "story-body" in source and "time.published::attr(datetime)" in source
    (case,) = (project / "snapshots" / "exampledaily").iterdir()

    # A new case is not trusted: the snapshot test fails until it is reviewed; the test stub fails too.
    pending = run(
        project, "pytest", "-q", "-p", "no:cacheprovider", "tests/test_snapshot_cases.py", "-k", "exampledaily"
    )
    assert pending.returncode == 1 and "not reviewed yet" in pending.stdout
    stub = run(project, "pytest", "-q", "-p", "no:cacheprovider", "tests/spiders/test_exampledaily.py")
    assert stub.returncode == 1

    # 2. Fill in the rules, as the guide says.
    source = source.replace('timezone="UTC"', 'timezone="Europe/London"')
    source = source.replace('site_name=""', 'site_name="The Example Daily"')
    source = source.replace("drop=()", 'drop=("aside.more-stories",)')
    # article_urls needs nothing: newsite read it from the sample URL's shape.
    assert r'article_urls=(r"^/world/\d{4}/\d{1,2}/\d{1,2}/[^/]+",)' in source
    source = source.replace("site_name=", 'authors="article.story .byline .author",\n    site_name=', 1)
    spider_file.write_text(source, encoding="utf-8")

    # 3. Check what it extracts.
    extracted = run(project, "scrapy", "extract", "--spider", "exampledaily", str(case / "page.html"))
    assert extracted.returncode == 0, extracted.stderr
    article = json.loads(extracted.stdout)
    assert article["headline"] == "Lavrov says NATO buried the idea of consultation"
    assert article["date_published"] == "2021-10-18T15:44:00+01:00"
    assert article["authors"] == ["Jane Roe"] and article["tags"] == ["Russia", "NATO"]
    assert article["body"].count("\n\n") == 2 and "More stories" not in article["body"]
    assert "Most read" not in article["body"] and "rights reserved" not in article["body"]

    # ... bring expected.json up to date (still marked), look at the review page, accept the case.
    updated = run(project, "pytest", "-q", "-p", "no:cacheprovider", "tests/test_snapshot_cases.py", "-k",
                  "exampledaily", "--snapshot-update")  # fmt: skip
    assert updated.returncode == 0, updated.stdout
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    assert expected.pop("_unreviewed")
    assert expected == article  # the person's reading: every field as on the page
    looked = run(project, "scrapy", "review", "exampledaily")
    assert looked.returncode == 0, looked.stderr
    assert (project / "review" / "exampledaily" / f"{case.name}.html").is_file()
    accepted = run(project, "scrapy", "review", "--accept", f"exampledaily/{case.name}")
    assert accepted.returncode == 0, accepted.stderr
    assert json.loads((case / "expected.json").read_text(encoding="utf-8")) == expected
    shutil.rmtree(project / "review")  # what the person looked at, not part of the adapter
    reviewed = run(
        project, "pytest", "-q", "-p", "no:cacheprovider", "tests/test_snapshot_cases.py", "-k", "exampledaily"
    )
    assert reviewed.returncode == 0, reviewed.stdout

    # The contracts newsite wrote run offline against the stored sample.
    checked = run(project, "scrapy", "check", "exampledaily", "-s", "NEWS_STORE_PATH=", replay=True)
    assert checked.returncode == 0, checked.stderr

    # What changed: one spider file, its cases and its test; nothing in crawler/.
    after = {
        path.relative_to(project) for path in project.rglob("*") if path.is_file() and "__pycache__" not in path.parts
    }
    added = {str(path) for path in after - before}
    assert added == {"spiders/exampledaily.py", "tests/spiders/test_exampledaily.py",
                     f"snapshots/exampledaily/{case.name}/page.html", f"snapshots/exampledaily/{case.name}/meta.json",
                     f"snapshots/exampledaily/{case.name}/expected.json"}  # fmt: skip
    assert tree_digest(ROOT / "crawler") == crawler_before
