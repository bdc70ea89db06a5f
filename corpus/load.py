"""Load plan documents from disk, with their ``<stem>.meta.toml`` sidecar.

Loading dispatches on the file suffix through a small registry, so loaders for
other formats (PDF, DOCX) can be added with ``register_loader`` without touching
this module. Only plain text and markdown are built in.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from corpus.first_page import PageLine, read_first_page
from corpus.limits import LoadLimits
from corpus.models import Document, DocumentMeta


class CorpusError(Exception):
    """A document that cannot be loaded: which file, which line, what to do."""

    def __init__(self, path: str | Path, reason: str, line: int | None = None):
        self.path = str(path)
        self.line = line
        self.reason = reason
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.path} line {self.line}" if self.line else self.path
        return f"{where}: {self.reason}"


@dataclass(frozen=True)
class LoadedText:
    """What a format loader returns: the lines, plus a page per line if known."""

    lines: tuple[str, ...]
    pages: tuple[int, ...] = ()
    # The first page's lines with font sizes, for the metadata reader (PDF only).
    first_page: tuple[PageLine, ...] = ()
    # Running headers/footers (PDF only), for the metadata reader.
    running: tuple[str, ...] = ()


Loader = Callable[[Path, bytes], LoadedText]
_LOADERS: dict[str, Loader] = {}

META_KEYS: tuple[str, ...] = ("title", "municipality", "organ", "kind", "period")
META_KEYS += ("year", "decided", "collection", "dnr")


def register_loader(suffix: str, loader: Loader) -> None:
    """Register ``loader`` for files ending in ``suffix`` (e.g. ".pdf")."""
    _LOADERS[suffix.lower() if suffix.startswith(".") else f".{suffix.lower()}"] = (
        loader
    )


def supported_suffixes() -> tuple[str, ...]:
    return tuple(sorted(_LOADERS))


def load_text(path: Path, data: bytes) -> LoadedText:
    """UTF-8 text/markdown: every line kept, including a last line without newline."""
    if not data.strip():
        reason = "file is empty" if not data else "file holds only whitespace"
        raise CorpusError(path, f"{reason} — add the document text or remove the file")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise CorpusError(path, "file is UTF-16 encoded — re-save the file as UTF-8")
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise CorpusError(
            path, "binary data (NUL byte) — convert the document to plain text", line
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        byte = data[exc.start]
        raise CorpusError(
            path, f"invalid UTF-8 (byte 0x{byte:02x}) — re-save the file as UTF-8", line
        ) from None
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()  # a final newline ends the last line; it does not start a new one
    # Windows line ends: drop the CR so lines compare equal across platforms.
    return LoadedText(tuple(line.removesuffix("\r") for line in lines))


register_loader(".txt", load_text)
register_loader(".md", load_text)


def _load_pdf(path: Path, data: bytes) -> LoadedText:
    from corpus.pdf import load_pdf  # lazy: pdfplumber is slow to import

    return load_pdf(path, data)


def _load_docx(path: Path, data: bytes) -> LoadedText:
    from corpus.docx import load_docx

    return load_docx(path, data)


register_loader(".pdf", _load_pdf)
register_loader(".docx", _load_docx)

_UNSAFE_NAME_RE = re.compile(r"[^\w.()+,=@ -]", re.UNICODE)


def safe_name(name: str) -> str:
    """An uploaded file name reduced to a plain name inside the target folder.

    Directories (either slash), ``..``, control characters and leading dots go,
    so ``../../etc/passwd.txt`` becomes ``passwd.txt``. Raises ``ValueError`` when
    nothing usable is left.
    """
    base = re.split(r"[/\\]", name.replace("\x00", ""))[-1]
    base = _UNSAFE_NAME_RE.sub("_", base).strip(" .")
    base = re.sub(r"\.{2,}", ".", base)
    if not base or not Path(base).stem.strip("_"):
        raise ValueError(f"unusable file name {name!r} — rename the file")
    return base[:200]


def sidecar_path(path: Path) -> Path:
    return path.with_name(f"{path.stem}.meta.toml")


def _read_sidecar(path: Path) -> tuple[dict[str, object], bytes]:
    side = sidecar_path(path)
    if not side.exists():
        return {}, b""
    data = side.read_bytes()
    try:
        table = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise CorpusError(side, "invalid UTF-8 — re-save the file as UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+)", str(exc))
        raise CorpusError(
            side,
            f"invalid TOML ({exc}) — fix the syntax",
            int(found[1]) if found else None,
        ) from None
    unknown = sorted(set(table) - set(META_KEYS))
    if unknown:
        raise CorpusError(
            side, f"unknown keys {unknown} — allowed keys: {', '.join(META_KEYS)}"
        )
    if "year" in table and not isinstance(table["year"], int):
        raise CorpusError(side, "year must be an integer such as 2024")
    return table, data


def guess_meta(
    doc: str,
    lines: tuple[str, ...],
    first_page: tuple[PageLine, ...] = (),
    running: tuple[str, ...] = (),
) -> DocumentMeta:
    """Metadata from the first page (PDF, with font sizes) or the first lines,
    the running headers/footers and, for the municipality, the whole text."""
    head = first_page or tuple(PageLine(line) for line in lines[:80])
    found = read_first_page(head, running, lines)
    return DocumentMeta(
        doc=doc,
        title=found.title or Path(doc).stem,
        municipality=found.municipality,
        organ=found.organ,
        kind=found.kind,
        period=found.period,
        year=found.year,
        decided=found.date,
        dnr=found.dnr,
    )


def load_document(path: Path) -> Document:
    """Read one document (and its sidecar); raise ``CorpusError`` on bad input."""
    path = Path(path)
    loader = _LOADERS.get(path.suffix.lower())
    if loader is None:
        raise CorpusError(
            path,
            f"unsupported file type {path.suffix or '(none)'} — supported: "
            + ", ".join(supported_suffixes()),
        )
    limits = LoadLimits.from_env()
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            raise CorpusError(
                path,
                f"file is {size / 2**20:.1f} MB, more than the limit "
                f"{limits.max_bytes / 2**20:g} MB — split it or raise "
                "ASSISTANT_INGEST_MAX_MB",
            )
        data = path.read_bytes()
    except OSError as exc:
        raise CorpusError(path, f"cannot read file ({exc.strerror})") from None
    loaded = loader(path, data)
    table, side_bytes = _read_sidecar(path)
    guessed = guess_meta(path.name, loaded.lines, loaded.first_page, loaded.running)
    values = {key: table.get(key, getattr(guessed, key)) for key in META_KEYS}
    meta = DocumentMeta(doc=path.name, **values)  # type: ignore[arg-type]
    content_hash = hashlib.sha256(data + side_bytes).hexdigest()
    return Document(meta, loaded.lines, content_hash, loaded.pages)


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Directories expand to their loadable files, sorted by name."""
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files.extend(
                sorted(
                    p
                    for p in path.iterdir()
                    if p.is_file() and p.suffix.lower() in _LOADERS
                )
            )
        else:
            files.append(path)
    return files


def load_corpus(paths: Iterable[Path]) -> tuple[list[Document], list[CorpusError]]:
    """Load every document; bad files go to the error list, the rest still load."""
    documents: list[Document] = []
    errors: list[CorpusError] = []
    for path in expand_paths(paths):
        try:
            documents.append(load_document(path))
        except CorpusError as exc:
            errors.append(exc)
    return documents, errors
