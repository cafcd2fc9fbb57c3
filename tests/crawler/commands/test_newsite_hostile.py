"""``scrapy newsite`` against hostile sample pages and URLs: nothing from outside ever runs as code.

The generated spider is Python that the project imports on every ``scrapy``
command, so whatever a sample page (or a URL) says must land in it as a
literal value, and ``newsite`` itself must read the rules back without
executing the file.  Each payload below would run ``id > marker`` if it got
through; the tests run in a scratch folder and look for that marker.
"""

from __future__ import annotations

import argparse
import ast
import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import cssselect
import pytest
from scrapy.settings import Settings
from selectolax.lexbor import LexborHTMLParser

from crawler.commands.newsite import (
    Command,
    _load_rules,
    _spider_source,
    new_site,
    rules_from_source,
)
from crawler.rules import SiteRules
from crawler.tools.proposals import Proposal, propose

ROOT = Path(__file__).resolve().parents[3]
SAMPLE = ROOT / "tests" / "guide" / "exampledaily-article.html"
MARKER = "marker"  # relative: the tests run in tmp_path, so the payloads need no path (pytest's has dashes)

#: Closes ``language="..."`` in a template that pastes it between quotes, and runs a command.
LANG_PAYLOAD = 'en"+str(__import__("os").system("id > marker"))[:0]+"'
#: Closes the ``@url`` docstring and runs a command in the class body, i.e. on import.
URL_PAYLOAD = (
    'https://news.example.org/a"""\n    __import__("os").system("id > marker")\n    def _x(self):\n        """'
)
SELECTOR_FIELDS = ("headline", "body", "date_published", "tags", "drop")
#: The only calls a generated spider makes: the rules, and the spider's super() call.
EXPECTED_CALLS = {"SiteRules", "super", "super().parse_article"}
EXPECTED_IMPORTS = {"collections.abc", "scrapy.http", "crawler.items", "crawler.rules", "crawler.crawling.spiders"}
PLAIN_URL_RE = re.compile(r"https?://[A-Za-z0-9\-._~:/?#\[\]@!$&()*+,;=%]+")


def attrs(**values: str) -> str:
    """HTML attributes holding exactly these values (quotes and all), whatever they contain."""
    return " ".join(f'{name.rstrip("_")}="{html.escape(value, quote=True)}"' for name, value in values.items())


def hostile_page() -> str:
    """An article page whose lang, ids, classes and one tag name try to break out of generated code or CSS."""
    paragraph = "<p>" + "Ordinary words of an ordinary article, long enough to count as its body text. " * 3 + "</p>"
    time = "<time " + attrs(class_="pub\\lished '''", datetime="2021-10-18T15:44:00+01:00") + ">18 October 2021</time>"
    return "\n".join([
        "<!DOCTYPE html>",
        "<html " + attrs(lang=LANG_PAYLOAD) + ">",
        '<head><meta charset="utf-8"><title>A hostile page</title></head>',
        "<body>",
        "<main " + attrs(class_='lay"out """ main') + ">",
        "<article " + attrs(id_='st"""ory', class_='story"] x\\y') + ">",
        "<h1 " + attrs(id_="he\nad", class_='ti"tle """ a]b c\\d headline') + ">The headline</h1>",
        "<p " + attrs(class_='by"line') + '><span"x ' + attrs(class_="when") + ">" + time + '</span"x></p>',
        "<div " + attrs(id_='bo"dy', class_='story"body\n"""\n x]') + ">" + paragraph * 4
        + "<div " + attrs(class_='related"] x') + "><h3>Related</h3><a href='/r'>R</a></div>"
        + "<div " + attrs(class_="related-box", id_='sh"are') + "><a href='/s'>S</a></div>"
        + "<div " + attrs(id_="share\nbar") + ">Share</div>"
        + "<section " + attrs(class_='promo\\"""') + "><a href='/p'>P</a></section></div>",
        "<ul " + attrs(class_='ta]gs """ tags') + "><li " + attrs(class_="it'em") + ">"
        + '<a href="/tag/x" rel="tag">X</a></li></ul>',
        "</article>",
        "</main>",
        "</body>",
        "</html>",
    ])  # fmt: skip


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A scratch project that is also the working directory, where a payload's ``marker`` would land."""
    for folder in ("spiders", "tests/spiders", "snapshots"):
        (tmp_path / folder).mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def calls_in(tree: ast.AST) -> set[str]:
    return {ast.unparse(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}


def assert_only_literals(source: str) -> ast.Module:
    """The generated spider compiles, and every value in it is a literal: no call or import it should not have."""
    compile(source, "generated_spider.py", "exec")
    tree = ast.parse(source)
    assert calls_in(tree) <= EXPECTED_CALLS
    imports = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert imports == EXPECTED_IMPORTS
    assert not any(isinstance(node, ast.Import) for node in ast.walk(tree))
    for node in tree.body:
        if isinstance(node, ast.Assign):
            value = node.value
            if isinstance(value, ast.Call):
                assert ast.unparse(value.func) == "SiteRules" and not value.args
                for keyword in value.keywords:
                    ast.literal_eval(keyword.value)
            else:
                ast.literal_eval(value)
        elif isinstance(node, ast.ClassDef):
            for statement in node.body:
                if isinstance(statement, ast.Assign) and not isinstance(statement.value, ast.Name):
                    ast.literal_eval(statement.value)
    return tree


def contract_urls(tree: ast.Module) -> list[str]:
    """The ``@url`` lines of the spider's docstrings, as scrapy's contracts read them."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            lines += [line.strip() for line in (ast.get_docstring(node) or "").splitlines() if "@url" in line]
    return lines


def import_in_subprocess(path: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Import the generated spider as a later ``scrapy`` command would, in a fresh interpreter."""
    code = "import importlib.util, sys\n" \
           f"spec = importlib.util.spec_from_file_location('generated_spider', {str(path)!r})\n" \
           "module = importlib.util.module_from_spec(spec)\nspec.loader.exec_module(module)\n" \
           "print(module.RULES.language)\n"  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def assert_selectors_are_css(rules: SiteRules) -> None:
    for name in SELECTOR_FIELDS:
        for selector in getattr(rules, name):
            cssselect.parse(selector)
            LexborHTMLParser("<p></p>").css(selector.split("::")[0])  # what the framework runs them with
            assert not set(selector) & set("\"'\\]\n"), (name, selector)


def test_a_hostile_page_proposes_only_plain_values() -> None:
    proposal = propose(hostile_page())
    assert proposal.language is None and any("lang" in note for note in proposal.notes)
    # Only the plain names are kept ("headline", "tags"); a parent whose tag is no identifier (span"x) is passed over.
    assert (proposal.headline, proposal.body) == ("article h1.headline", "article div")
    assert (proposal.date_published, proposal.tags) == ("p time::attr(datetime)", "ul.tags li a")
    # Boxes are named by their plain classes only ("x", "related-box"); no plain name at all, no selector.
    assert proposal.drop == ["div.x", "div.related-box"]
    for selector in (proposal.headline, proposal.body, proposal.date_published, proposal.tags, *proposal.drop):
        cssselect.parse(selector)


def test_a_hostile_lang_runs_nothing(project: Path) -> None:
    """The audit's reproducer: the guide's sample page, its lang replaced by the payload."""
    sample = project / "sample.html"
    page = SAMPLE.read_text(encoding="utf-8").replace('<html lang="en-GB">', "<html " + attrs(lang=LANG_PAYLOAD) + ">")
    sample.write_text(page, encoding="utf-8")
    new_site("evil", "news.example.org", project, str(sample), None)
    assert not (project / MARKER).exists(), "newsite ran the page's payload"
    spider = project / "spiders" / "evil.py"
    assert_only_literals(spider.read_text(encoding="utf-8"))
    assert _load_rules(spider).language == "en"
    imported = import_in_subprocess(spider, project)
    assert imported.returncode == 0 and imported.stdout.strip() == "en", imported.stderr
    assert not (project / MARKER).exists(), "importing the generated spider ran the page's payload"


def test_a_hostile_sample_page_runs_nothing(project: Path) -> None:
    sample = project / "hostile.html"
    sample.write_text(hostile_page(), encoding="utf-8")
    new_site("hostile", "news.example.org", project, str(sample), "https://news.example.org/a/b")
    assert not (project / MARKER).exists(), "newsite ran the page's payload"

    spider = project / "spiders" / "hostile.py"
    tree = assert_only_literals(spider.read_text(encoding="utf-8"))
    assert contract_urls(tree) == ["@url https://news.example.org/a/b"]
    rules = _load_rules(spider)
    assert re.fullmatch(r"[a-z]{2,3}", rules.language) and rules.language == "en"
    assert_selectors_are_css(rules)

    imported = import_in_subprocess(spider, project)
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.strip() == "en"
    assert not (project / MARKER).exists(), "importing the generated spider ran the page's payload"


@pytest.mark.parametrize(
    ("sample_name", "sample_url"),
    [
        ("article.html", URL_PAYLOAD),
        ("article.html", "https://news.example.org/say \"hi\"\\there\r\n'quoted' ]"),
        ("article.html", "https://news.example.org/world/ممنوع-الدخول"),
        ("article.html", 'https://news.example.org/news")+__import__("os").system("id > marker")#/2021/10/18/x'),
        ("article.html", "https://news.example.org/news.x/2021/10/18/a\"\"\"\n__import__('os').system('id > marker')"),
        ('a"""b c\\d.html', None),  # no --sample-url: the URL is made from the file's name
    ],
    ids=[
        "code-after-docstring",
        "quotes-backslash-crlf",
        "arabic-path",
        "code-in-a-section",
        "code-in-the-slug",
        "hostile-file-name",
    ],
)
def test_a_hostile_sample_url_stays_inside_its_docstring(project: Path, sample_name: str,
                                                         sample_url: str | None) -> None:  # fmt: skip
    sample = project / sample_name
    shutil.copy(SAMPLE, sample)
    new_site("exampledaily", "news.example.org", project, str(sample), sample_url)
    assert not (project / MARKER).exists()

    spider = project / "spiders" / "exampledaily.py"
    tree = assert_only_literals(spider.read_text(encoding="utf-8"))
    (line,) = contract_urls(tree)
    keyword, url = line.split(" ")
    assert keyword == "@url" and PLAIN_URL_RE.fullmatch(url), url
    rules = _load_rules(spider)
    assert rules.headline == ("article.story h1.story-title",)
    assert not rules.is_article_url("/") and all(not set(pattern) & set("\"'\n") for pattern in rules.article_urls)

    imported = import_in_subprocess(spider, project)
    assert imported.returncode == 0, imported.stderr
    assert not (project / MARKER).exists()


@pytest.mark.parametrize(
    "sample_url",
    ["ftp://news.example.org/a", "javascript:alert(1)", "news.example.org/a", "https:///a", "https://[::1/a",
     " https://news.example.org/a"],
)  # fmt: skip
def test_a_sample_url_that_is_no_web_address_is_refused(project: Path, sample_url: str) -> None:
    with pytest.raises(ValueError, match="not an http") as raised:
        new_site("exampledaily", "news.example.org", project, str(SAMPLE), sample_url)
    assert "\n" not in str(raised.value)
    assert not any((project / "spiders").iterdir()) and not any((project / "snapshots").iterdir())


@pytest.mark.parametrize(("name", "domain"), [("example\n", "news.example.org"), ("example", "news.example.org\n")])
def test_a_trailing_newline_is_no_part_of_a_name(project: Path, name: str, domain: str) -> None:
    with pytest.raises(ValueError):
        new_site(name, domain, project, None, None)
    assert not any((project / "spiders").iterdir())


def test_the_test_stub_holds_the_name_as_a_literal(project: Path) -> None:
    new_site("example", "news.example.org", project, None, None)
    tree = ast.parse((project / "tests" / "spiders" / "test_example.py").read_text(encoding="utf-8"))
    (fail,) = [node for node in ast.walk(tree) if isinstance(node, ast.Call)]
    assert ast.unparse(fail.func) == "pytest.fail"
    assert "spiders/example.py" in "".join(ast.literal_eval(argument) for argument in fail.args)
    assert_only_literals((project / "spiders" / "example.py").read_text(encoding="utf-8"))


def test_article_url_patterns_are_written_as_literals_that_read_back_the_same(project: Path) -> None:
    """Whatever a Proposal holds (it is plain data): bad, every-page and quote-bearing patterns."""
    patterns = ["^/", "(", "x\\", ".*", 'a"b', "a'b\\d", "^/news/\\d+/", "\n^/x"]
    source = _spider_source(
        "plain", "news.example.org", Proposal(article_urls=patterns, drop=['div"x', "div.ok"]), None
    )
    tree = assert_only_literals(source)
    rules = rules_from_source(source, "plain.py")
    assert rules.article_urls == ('a"b', "a'b\\d", "^/news/\\d+/")  # "^/", ".*": every page; "(", "x\\": no regex
    assert rules.drop == ("div.ok",)
    assert 'r"^/news/\\d+/",' in source and tree is not None


SPIDER_HEAD = "from crawler.rules import SiteRules\n"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (
            SPIDER_HEAD
            + 'RULES = SiteRules(site="x", language=__import__("os").system("id > marker"), timezone="UTC")\n',
            "not a literal",
        ),
        (SPIDER_HEAD + 'import os\nos.system("id > marker")\n', "RULES"),
        (SPIDER_HEAD + 'RULES = SiteRules(**{"site": "x", "language": "en", "timezone": "UTC"})\n', "RULES"),
        (SPIDER_HEAD + 'RULES = make_rules(site="x")\n', "RULES"),
        (SPIDER_HEAD + 'RULES = SiteRules(site="x", language="en", timezone="UTC", colour="red")\n', "colour"),
        (SPIDER_HEAD + 'RULES = SiteRules(site="x",\n', "not valid Python"),
    ],
)
def test_loading_the_rules_executes_nothing(project: Path, source: str, message: str) -> None:
    spider = project / "spiders" / "odd.py"
    spider.write_text(source, encoding="utf-8")
    with pytest.raises(ValueError, match=message) as raised:
        _load_rules(spider)
    assert "\n" not in str(raised.value)
    assert not (project / MARKER).exists()


def test_loading_the_rules_reads_literal_keywords(project: Path) -> None:
    spider = project / "spiders" / "plain.py"
    spider.write_text(SPIDER_HEAD + 'RULES = SiteRules(site="plain", language="ar", timezone="Asia/Dubai",\n'
                      '    headline=("h1", "h2.title"), article_urls=(r"^/\\d+",),\n'
                      '    date_formats=("%d/%m/%Y",))\n', encoding="utf-8")  # fmt: skip
    rules = _load_rules(spider)
    assert rules.site == "plain" and rules.headline == ("h1", "h2.title") and rules.is_article_url("/123")
    assert rules.date_formats == ("%d/%m/%Y",)


def test_the_command_says_what_is_wrong_in_one_line(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    command = Command()
    command.settings = Settings()
    options = argparse.Namespace(root=str(project), sample=str(SAMPLE), sample_url='ftp://x/"""\nboom')
    command.run(["exampledaily", "news.example.org"], options)
    error = capsys.readouterr().err
    assert command.exitcode == 2
    assert error.startswith("newsite: ") and error.count("\n") == 1 and "Traceback" not in error
