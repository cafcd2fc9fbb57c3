"""Feed XML from strangers: entities refused, nothing fetched, gzip capped, malformed XML recovered and said so."""

import gzip
import tracemalloc
from pathlib import Path

import pytest
from lxml import etree

from crawler.crawling.feedxml import FeedRefused, ParsedFeed, gunzip, is_gzip, parse_feed

MAX = 1_000_000
RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>News Example</title>
  <item><title>One</title><link>https://news.example/news/1</link></item>
  <item><title>Two</title><link>https://news.example/news/2</link></item>
</channel></rss>"""
SITEMAP = (
    b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">"""
    + b"".join(b"<url><loc>https://news.example/news/%d</loc></url>" % number for number in range(200))
    + b"</urlset>"
)


def links(parsed: ParsedFeed) -> list[str]:
    return [text.strip() for text in parsed.root.xpath("//link/text() | //*[local-name()='loc']/text()")]


def refused(body: bytes, max_size: int = MAX) -> FeedRefused:
    with pytest.raises(FeedRefused) as raised:
        parse_feed(body, max_size)
    return raised.value


# --- well-formed feeds ---------------------------------------------------------------------------------------------


def test_a_well_formed_feed_is_parsed_and_not_called_malformed() -> None:
    parsed = parse_feed(RSS, MAX)
    assert parsed.root.tag == "rss"
    assert parsed.malformed is None
    assert links(parsed) == ["https://news.example/news/1", "https://news.example/news/2"]


def test_a_gzipped_sitemap_is_unpacked_and_parsed() -> None:
    parsed = parse_feed(gzip.compress(SITEMAP), MAX)
    assert parsed.root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    assert len(links(parsed)) == 200 and parsed.malformed is None


def test_comments_are_left_out() -> None:
    parsed = parse_feed(b"<rss><!-- <link>https://news.example/hidden</link> --><channel/></rss>", MAX)
    assert etree.tostring(parsed.root) == b"<rss><channel/></rss>"


def test_a_doctype_that_declares_no_entities_is_accepted() -> None:
    body = (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ELEMENT rss ANY><!ATTLIST rss version CDATA #IMPLIED>]>'
        + RSS.split(b"?>", 1)[1]
    )
    parsed = parse_feed(body, MAX)
    assert links(parsed) == ["https://news.example/news/1", "https://news.example/news/2"]


def test_character_references_and_the_predefined_entities_are_no_declaration() -> None:
    body = b"<rss><channel><item><title>Fish &amp; chips &#8211; &#x263A; &lt;b&gt;</title></item></channel></rss>"
    parsed = parse_feed(body, MAX)
    assert parsed.root.findtext("channel/item/title") == "Fish & chips \u2013 \u263a <b>"
    assert parsed.malformed is None


# --- entities and DTDs ---------------------------------------------------------------------------------------------


def billion_laughs(levels: int = 9) -> bytes:
    declarations = b'<!ENTITY lol0 "lol">' + b"".join(
        b'<!ENTITY lol%d "%s">' % (level, b"&lol%d;" % (level - 1) * 10) for level in range(1, levels + 1)
    )
    return b'<?xml version="1.0"?><!DOCTYPE rss [' + declarations + b"]><rss><title>&lol%d;</title></rss>" % levels


def test_a_billion_laughs_is_refused_unexpanded() -> None:
    error = refused(billion_laughs())
    assert error.reason == "entities"
    assert str(error) == "entities: declares entities (lol0, lol1, lol2, ...)"


def test_a_single_declared_entity_is_named_without_an_ellipsis() -> None:
    error = refused(b'<!DOCTYPE rss [<!ENTITY site "News Example">]><rss><title>&site;</title></rss>')
    assert (error.reason, str(error)) == ("entities", "entities: declares entities (site)")


def test_three_entities_are_all_named() -> None:
    body = b'<!DOCTYPE rss [<!ENTITY a "1"><!ENTITY b "2"><!ENTITY c "3">]><rss/>'
    assert str(refused(body)) == "entities: declares entities (a, b, c)"


def test_a_quadratic_blowup_is_refused() -> None:
    body = (
        b'<!DOCTYPE rss [<!ENTITY big "' + b"x" * 100_000 + b'">]><rss><title>' + b"&big;" * 10_000 + b"</title></rss>"
    )
    assert refused(body).reason == "entities"


def test_an_entity_declared_but_never_used_is_refused_too() -> None:
    assert refused(b'<!DOCTYPE rss [<!ENTITY unused "x">]>' + RSS.split(b"?>", 1)[1]).reason == "entities"


def test_an_external_entity_is_refused_and_the_file_never_read_into_the_feed(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    body = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
        "<rss><channel><item><link>https://news.example/&xxe;</link></item></channel></rss>"
    ).encode()
    error = refused(body)
    assert error.reason == "entities"
    assert "TOP-SECRET-CONTENT" not in str(error)


def test_a_parameter_entity_to_an_external_dtd_is_refused(tmp_path: Path) -> None:
    dtd = tmp_path / "evil.dtd"
    dtd.write_text('<!ENTITY leaked "FROM-THE-DTD">')
    body = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY % remote SYSTEM "{dtd.as_uri()}"> %remote;]>'
        "<rss><title>&leaked;</title></rss>"
    ).encode()
    error = refused(body)
    assert error.reason == "entities" and "remote" in str(error)


def test_an_external_dtd_is_not_loaded_and_its_entities_are_not_expanded(tmp_path: Path) -> None:
    dtd = tmp_path / "feed.dtd"
    dtd.write_text('<!ENTITY leaked "FROM-THE-DTD">')
    body = f'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "{dtd.as_uri()}"><rss><title>before &leaked; after</title></rss>'
    parsed = parse_feed(body.encode(), MAX)
    assert b"FROM-THE-DTD" not in etree.tostring(parsed.root)
    assert parsed.root.getroottree().docinfo.externalDTD is None
    # Not substituted either: the reference stays a reference (dropping it would be an error, and "malformed").
    assert etree.tostring(parsed.root) == b"<rss><title>before &leaked; after</title></rss>"
    assert parsed.malformed is None


def test_an_external_dtd_is_never_read(tmp_path: Path) -> None:
    dtd = tmp_path / "broken.dtd"
    dtd.write_text("this is no DTD <<< and reading it would fail the parse")
    body = f'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "{dtd.as_uri()}">'.encode() + RSS.split(b"?>", 1)[1]
    parsed = parse_feed(body, MAX)
    assert links(parsed) == ["https://news.example/news/1", "https://news.example/news/2"]
    assert parsed.malformed is None


def test_a_gzipped_bomb_is_refused_like_a_plain_one() -> None:
    assert refused(gzip.compress(billion_laughs())).reason == "entities"


# --- sizes ---------------------------------------------------------------------------------------------------------


def test_is_gzip_reads_the_magic_bytes_only() -> None:
    assert is_gzip(gzip.compress(b"<rss/>"))
    assert is_gzip(b"\x1f\x8b")
    assert not is_gzip(RSS)
    assert not is_gzip(b"")
    assert not is_gzip(b"\x1f")
    assert not is_gzip(b"\x8b\x1f")


def test_gunzip_up_to_the_cap_and_refused_one_byte_past_it() -> None:
    packed = gzip.compress(SITEMAP)
    assert gunzip(packed, len(SITEMAP)) == SITEMAP
    assert gunzip(packed, len(SITEMAP) * 2) == SITEMAP
    with pytest.raises(FeedRefused) as raised:
        gunzip(packed, len(SITEMAP) - 1)
    assert raised.value.reason == "too_large"
    assert str(raised.value) == f"too_large: unpacks to more than {len(SITEMAP) - 1} bytes"


def test_every_member_of_a_gzip_file_written_in_parts_is_unpacked() -> None:
    """``cat a.gz b.gz`` is one gzip file: ``gzip -d`` gives both parts, and so does a sitemap's reader."""
    half = len(SITEMAP) // 2
    members = gzip.compress(SITEMAP[:half]) + gzip.compress(SITEMAP[half:])
    assert gzip.decompress(members) == SITEMAP
    packed = members + b"\0" * 8  # zero padding after the last member, as tape and some servers leave
    assert gunzip(packed, len(SITEMAP)) == SITEMAP
    with pytest.raises(FeedRefused) as raised:  # the cap counts every member
        gunzip(packed, len(SITEMAP) - 1)
    assert raised.value.reason == "too_large"
    assert len(links(parse_feed(packed, MAX))) == len(links(parse_feed(SITEMAP, MAX)))


def test_a_gzip_bomb_in_many_members_is_refused_at_the_cap() -> None:
    member = gzip.compress(b" " * 1_000_000)
    assert refused(member * 60, max_size=10_000_000).reason == "too_large"


def test_a_gzip_bomb_is_never_unpacked_past_the_cap() -> None:
    bomb = gzip.compress(b" " * 64_000_000)
    tracemalloc.start()
    try:
        with pytest.raises(FeedRefused):
            gunzip(bomb, 1_000_000)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 16_000_000  # the whole would be 64 MB


def test_a_gzip_bomb_is_refused_at_the_cap() -> None:
    bomb = gzip.compress(b"<urlset>" + b" " * 50_000_000 + b"</urlset>")  # ~50 KB that unpack to 50 MB
    assert len(bomb) < 100_000
    assert refused(bomb, max_size=MAX).reason == "too_large"


def test_a_gzipped_feed_is_parsed_at_exactly_the_cap() -> None:
    assert parse_feed(gzip.compress(RSS), len(RSS)).malformed is None
    assert refused(gzip.compress(RSS), len(RSS) - 1).reason == "too_large"


@pytest.mark.parametrize("body", [b"\x1f\x8b not gzip after all", b"\x1f\x8b\x08\x00" + b"\xff" * 20])
def test_a_gzip_header_over_garbage_is_bad_gzip(body: bytes) -> None:
    error = refused(body)
    assert error.reason == "bad_gzip" and str(error).startswith("bad_gzip: ")


def test_a_text_node_past_libxml2s_limit_is_not_read_whole() -> None:
    # No huge_tree: libxml2 stops a text node at 10 MB, and says so; the element is still there.
    huge = b"<rss><channel><title>" + b"x" * (11 * 1024 * 1024) + b"</title></channel></rss>"
    parsed = parse_feed(huge, len(huge))
    assert parsed.malformed is not None
    title = parsed.root.findtext("channel/title") or ""
    assert len(title) < 11 * 1024 * 1024


def test_nesting_past_libxml2s_limit_is_reported_as_malformed() -> None:
    deep = b"<rss>" + b"<a>" * 300 + b"</a>" * 300 + b"</rss>"
    parsed = parse_feed(deep, MAX)
    assert parsed.malformed is not None and "depth" in parsed.malformed.lower()


# --- malformed XML -------------------------------------------------------------------------------------------------


def test_a_feed_cut_off_mid_entry_keeps_the_entries_before_and_says_where() -> None:
    cut = RSS[: RSS.index(b"news/2")]
    parsed = parse_feed(cut, MAX)
    assert links(parsed)[0] == "https://news.example/news/1"
    assert parsed.malformed is not None and parsed.malformed.startswith("line 4: ")


def test_a_gzipped_feed_cut_off_is_recovered_as_far_as_it_goes() -> None:
    packed = gzip.compress(SITEMAP)
    parsed = parse_feed(packed[: len(packed) // 2], MAX)
    assert 0 < len(links(parsed)) < 200
    assert parsed.malformed is not None


def test_an_unclosed_tag_and_a_stray_ampersand_are_recovered() -> None:
    parsed = parse_feed(
        b"<rss><channel><item><title>Fish & chips</title><link>https://news.example/a</link></item></rss>", MAX
    )
    assert links(parsed) == ["https://news.example/a"]
    assert parsed.malformed is not None and parsed.malformed.startswith("line 1: ")


@pytest.mark.parametrize("body", [b"", b"   \n ", b"not xml at all", b'{"json": true}', b"\x00\x01\x02"])
def test_a_body_with_nothing_to_recover_is_refused_as_malformed(body: bytes) -> None:
    assert refused(body).reason == "malformed"


def test_an_html_page_is_parsed_as_xml_as_far_as_it_goes() -> None:
    parsed = parse_feed(b"<html><body><p>Not a feed<br></p></body></html>", MAX)
    assert parsed.root.tag == "html"
    assert parsed.malformed is not None


def test_feed_refused_is_a_value_error_with_its_reason() -> None:
    error = FeedRefused("too_large", "unpacks to more than 3 bytes")
    assert isinstance(error, ValueError)
    assert error.reason == "too_large" and str(error) == "too_large: unpacks to more than 3 bytes"
