"""The site registry: the news spiders of a project's SPIDER_MODULES, found by name or by host.

Its behaviour is tested on the made-up sites (tests/sites as the SPIDER_MODULES); only the tests of what the
project's own settings name (spiders/) name the project's sites.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.crawling import sites
from crawler.crawling.sites import (
    UnknownSiteError,
    news_spiders,
    rules_for,
    rules_for_url,
    spider_for,
)
from crawler.crawling.spiders import NewsSpider
from crawler.extraction import extract_with_provenance
from crawler.rules import SiteRules
from tests.sites import ARTICLE_MARKUP, SPIDER_MODULES, SPIDERS, AkhbarSpider, ExampleSpider, as_the_project


def test_the_projects_spiders_are_found_in_its_spider_modules() -> None:
    assert {"aljazeera", "almayadeen", "persian_aggregator", "sadaelbalad"} <= set(news_spiders())
    assert rules_for("almayadeen").site == "almayadeen"


def test_news_spiders_are_every_spider_with_site_rules_in_the_modules() -> None:
    assert news_spiders(SPIDER_MODULES) == SPIDERS
    assert spider_for("akhbar", SPIDER_MODULES) is AkhbarSpider
    assert rules_for("example", SPIDER_MODULES) is ExampleSpider.rules


def test_rules_by_url_host() -> None:
    assert rules_for_url("https://news.example/news/x", SPIDER_MODULES) is ExampleSpider.rules
    assert rules_for_url("https://WWW.News.Example/news/x", SPIDER_MODULES) is ExampleSpider.rules  # a subdomain
    assert rules_for_url("https://akhbar.example/news/x", SPIDER_MODULES) is AkhbarSpider.rules
    assert rules_for_url("https://fakenews.example/news/x", SPIDER_MODULES) is None  # not a subdomain of news.example
    assert rules_for_url("https://elsewhere.example/news/politics/x", SPIDER_MODULES) is None


def test_unknown_site_names_the_known_ones() -> None:
    with pytest.raises(UnknownSiteError, match=r"'nosuchsite' \(known: akhbar, example, khabar\)"):
        rules_for("nosuchsite", SPIDER_MODULES)


def test_extract_finds_the_projects_site_by_host_and_reads_an_unknown_host_generically() -> None:
    page = ARTICLE_MARKUP["example"].format(headline="A headline", body="<p>" + "Some text of the article. " * 30)
    with as_the_project():
        known = extract_with_provenance(page, "https://news.example/news/x")
        unknown = extract_with_provenance(page, "https://elsewhere.example/news/x")
    assert (known.article.site, known.provenance["headline"]) == ("example", "site")
    assert (unknown.article.site, unknown.provenance["body"]) == (None, "generic")


def test_a_spider_name_must_match_its_rules() -> None:
    with pytest.raises(TypeError, match="rules.site"):

        class Mismatched(NewsSpider):
            name = "one"
            rules = SiteRules(site="other", language="en", timezone="UTC")


# --- where the sites come from: the project's SPIDER_MODULES, or none outside a project -------------

ROOT = Path(__file__).resolve().parents[3]
ARTICLE = "<html><body><h1>A headline</h1><p>" + "Some text of the article. " * 30 + "</p></body></html>"


def python(code: str, cwd: Path, framework: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """A fresh interpreter in ``cwd``, with no Scrapy project named, importing ``crawler`` from ``framework``."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("SCRAPY_")}
    env["PYTHONPATH"] = os.pathsep.join((str(cwd), str(framework)))
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True, timeout=120,
                          check=False)  # fmt: skip


def test_extract_as_a_library_call_outside_any_project_reads_with_the_generic_rules(tmp_path: Path) -> None:
    # As installed: the framework alone, no project's spiders package anywhere on the path.
    installed = tmp_path / "site-packages"
    installed.mkdir()
    (installed / "crawler").symlink_to(ROOT / "crawler")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = ("from crawler.extraction import extract_with_provenance as x; "
            f"e = x({ARTICLE!r}, 'https://news.example/news/x'); "
            "print(e.article.headline, '|', e.provenance['headline'])")  # fmt: skip
    done = python(code, elsewhere, framework=installed)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "A headline | generic"


def test_the_sites_are_the_projects_spider_modules(tmp_path: Path) -> None:
    (tmp_path / "scrapy.cfg").write_text("[settings]\ndefault = mysettings\n")
    (tmp_path / "mysettings.py").write_text('SPIDER_MODULES = ["mysites"]\n')
    (tmp_path / "mysites").mkdir()
    (tmp_path / "mysites" / "__init__.py").write_text("")
    (tmp_path / "mysites" / "daily.py").write_text(
        "from crawler.crawling.spiders import NewsSpider\nfrom crawler.rules import SiteRules\n\n"
        "class Daily(NewsSpider):\n    name = 'daily'\n    allowed_domains = ['daily.example']\n"
        "    rules = SiteRules(site='daily', language='en', timezone='Europe/London')\n"
    )
    code = ("from crawler.crawling.sites import news_spiders, rules_for_url; "
            "print(sorted(news_spiders()), rules_for_url('https://www.daily.example/a').site)")  # fmt: skip
    done = python(code, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["['daily']", "daily"]


def test_the_site_registry_imports_no_spider_code() -> None:
    # The extraction package asks the registry for rules; the registry must not need the spiders, which need it.
    done = python("import sys, crawler.crawling.sites; print('crawler.crawling.spiders' in sys.modules)", ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


def test_every_module_imports_first_in_a_fresh_interpreter() -> None:
    # A hidden import cycle shows as a module that fails when it is the first one imported.
    code = """
import importlib, pkgutil, sys
import crawler
names = sorted(info.name for info in pkgutil.walk_packages(crawler.__path__, "crawler."))
failed = []
for name in names:
    for loaded in [key for key in sys.modules if key == "crawler" or key.startswith("crawler.")]:
        del sys.modules[loaded]
    try:
        importlib.import_module(name)
    except ImportError as error:
        failed.append(f"{name}: {error}")
print(len(names)); print("\\n".join(failed))
"""
    done = python(code, ROOT)
    assert done.returncode == 0, done.stderr
    count, *failed = done.stdout.strip().splitlines()
    assert int(count) > 50 and failed == []


def test_looking_up_the_projects_sites_leaves_the_environment_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    # Scrapy names the settings module in os.environ as it reads them; a later subprocess would inherit it.
    monkeypatch.delenv("SCRAPY_SETTINGS_MODULE", raising=False)
    monkeypatch.setenv("SCRAPY_PROJECT", "replay")
    sites._spider_modules_of.cache_clear()
    assert sites.project_spider_modules() == ("spiders",)
    assert "SCRAPY_SETTINGS_MODULE" not in os.environ
