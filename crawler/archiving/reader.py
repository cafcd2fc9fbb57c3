"""The article pages of WARC files, back as (URL, status, headers, body), a torn last record skipped and counted.

A crawl killed mid-write, or a disk that filled, leaves at most one torn
record at the end of a file.  warcio reads such a record without complaint,
its payload simply short, so every response's payload is checked against its
``WARC-Payload-Digest``: one that does not match (or a record whose header
block is cut) ends that file's reading and counts in :attr:`ArchiveReading.torn`.
A file whose first record is no WARC record is :class:`ArchiveError`, as is a
path that does not exist: one line for the command.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from crawler.archiving.records import ARTICLE, KIND_HEADER

#: File names taken from a folder given as an archive.
WARC_SUFFIXES = (".warc.gz", ".warc")


class ArchiveError(OSError):
    """A path given as an archive that is missing or no WARC file; its text is the whole message."""


@dataclass(frozen=True)
class ArchivedPage:
    url: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    fetched_at: str | None
    path: Path

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        return next((value for key, value in self.headers if key.lower() == wanted), None)


@dataclass
class ArchiveReading:
    """Reads the pages of ``paths`` (files, or folders of ``*.warc.gz``/``*.warc``) and counts what it skipped."""

    paths: Iterable[str | Path]
    files: int = 0
    torn: list[Path] = field(default_factory=list)

    def warc_files(self) -> list[Path]:
        found: list[Path] = []
        for given in self.paths:
            path = Path(given)
            if path.is_dir():
                found.extend(sorted(p for p in path.iterdir() if p.is_file() and p.name.endswith(WARC_SUFFIXES)))
            elif path.is_file():
                found.append(path)
            else:
                raise ArchiveError(f"no such file or folder: {path}")
        return found

    def pages(self) -> Iterator[ArchivedPage]:
        """Every archived article response, file by file in the order given (a folder's files by name)."""
        for path in self.warc_files():
            self.files += 1
            yield from self._read(path)

    def _read(self, path: Path) -> Iterator[ArchivedPage]:
        try:
            stream = path.open("rb")
        except OSError as error:
            raise ArchiveError(f"cannot read {path}: {error.strerror or error}") from None
        with stream:
            records = 0
            try:
                for record in ArchiveIterator(stream):
                    if record.format != "warc" or record.rec_type is None:
                        if records == 0:
                            raise ArchiveError(f"{path}: not a WARC file")
                        self.torn.append(path)
                        return
                    records += 1
                    if record.rec_type != "response" or record.rec_headers.get_header(KIND_HEADER) != ARTICLE:
                        continue
                    body = record.content_stream().read()
                    if not _digest_matches(record.rec_headers.get_header("WARC-Payload-Digest"), body):
                        self.torn.append(path)
                        return
                    http = record.http_headers
                    yield ArchivedPage(
                        url=record.rec_headers.get_header("WARC-Target-URI"),
                        status=int(http.get_statuscode() or 0),
                        headers=list(http.headers),
                        body=body,
                        fetched_at=record.rec_headers.get_header("WARC-Date"),
                        path=path,
                    )
            except ArchiveLoadFailed as error:
                if records == 0:
                    raise ArchiveError(f"{path}: not a WARC file ({error})") from None
                self.torn.append(path)
            except (EOFError, OSError, ValueError) as error:  # zlib's, a cut gzip member
                if isinstance(error, ArchiveError):
                    raise
                if records == 0:
                    raise ArchiveError(f"{path}: not a WARC file ({error})") from None
                self.torn.append(path)


def _digest_matches(header: str | None, body: bytes) -> bool:
    """``sha1:<base32>`` as warcio writes it; a record without one is taken as whole."""
    if not header or not header.startswith("sha1:"):
        return True
    return header[5:].upper() == base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")
