"""Admin-only document upload in the web chat: ``python -m assistant ingest`` from a page.

Who may upload is decided on the server from each request: with login on, users
marked ``admin = true`` in the auth file; with login off, everyone only when
``ui.allow_upload`` is set. Files are staged in a temporary folder under a safe
name, ingested like the CLI does, and only the indexed ones are moved into
``documents_dir``. A new assistant over the new index then replaces the one the
chat handlers share; a failed ingest leaves both the index and the assistant as
they were.
"""

from __future__ import annotations

import html
import logging
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"  # before gradio is imported

import gradio as gr

from assistant.settings import Settings
from assistant.web.chat import AssistantLike, ChatHandlers
from assistant.web.render import render_notice
from corpus.limits import LoadLimits
from corpus.load import safe_name, sidecar_path

log = logging.getLogger(__name__)

MAX_FILES = 20
EXTENSIONS = (".txt", ".md", ".pdf", ".docx")
NOT_ALLOWED = "Du har inte behörighet att ladda upp dokument."


class AdminPolicy(Protocol):
    """The part of ``assistant.web.auth.AccessPolicy`` the upload needs."""

    def is_admin(self, username: str | None) -> bool: ...


def may_upload(
    access: AdminPolicy | None, allow_upload: bool, request: gr.Request | None
) -> bool:
    """Admins with login on; everyone with login off only when ``allow_upload``."""
    if access is None:
        return allow_upload
    username = (getattr(request, "username", None) or "") if request else ""
    return bool(username) and access.is_admin(username)


def _source(item: Any) -> tuple[Path, str]:
    """(file on disk, name the client gave) of one uploaded file.

    Gradio passes a path in its upload cache (named after the original file);
    ``FileData``-like objects carry the client's name in ``orig_name``.
    """
    path = Path(getattr(item, "path", None) or getattr(item, "name", None) or item)
    return path, str(getattr(item, "orig_name", None) or path.name)


def _meta(
    municipality: str | None, organ: str | None, kind: str | None, year: Any
) -> dict[str, object]:
    """The optional form fields as ``ingest(meta=...)``, like the CLI flags."""
    meta: dict[str, object] = {
        key: value.strip()
        for key, value in (
            ("municipality", municipality),
            ("organ", organ),
            ("kind", kind),
        )
        if value and value.strip()
    }
    text = str(year if year is not None else "").strip()
    if text:
        try:
            meta["year"] = int(text)
        except ValueError:
            raise ValueError(
                f"År måste vara ett årtal, t.ex. 2025 (inte {text!r})."
            ) from None
    return meta


class UploadHandlers:
    """The upload event and the swap of the chat's assistant after a new index."""

    def __init__(
        self,
        settings: Settings,
        chat: ChatHandlers,
        access: AdminPolicy | None = None,
        *,
        build: Callable[[Settings], AssistantLike] | None = None,
    ) -> None:
        self.settings = settings
        self.chat = chat
        self.access = access
        self._build = build
        # One upload at a time: ingests must not interleave on the index folder.
        self._lock = threading.Lock()

    def allowed(self, request: gr.Request | None) -> bool:
        return may_upload(self.access, self.settings.ui.allow_upload, request)

    def tab_update(self, request: gr.Request | None = None) -> Any:
        """Page load: show the upload tab only to those who may upload."""
        return gr.update(visible=self.allowed(request))

    # Gradio passes one argument per input component: the files, then the four
    # metadata fields of the form.
    def upload(  # noqa: PLR0913
        self,
        files: Sequence[Any] | None,
        municipality: str | None = "",
        organ: str | None = "",
        kind: str | None = "",
        year: Any = "",
        request: gr.Request | None = None,
    ) -> str:
        """Stage, ingest, keep and swap; returns the report as HTML."""
        if not self.allowed(request):
            log.warning(
                "upload refused for %r", getattr(request, "username", None) or "-"
            )
            return render_notice(NOT_ALLOWED, error=True)
        files = list(files or [])
        if not files:
            return render_notice("Välj minst en fil att ladda upp.", error=True)
        if len(files) > MAX_FILES:
            return render_notice(
                f"För många filer ({len(files)}); högst {MAX_FILES} per uppladdning. "
                "Dela upp dem och ladda upp igen.",
                error=True,
            )
        try:
            meta = _meta(municipality, organ, kind, year)
        except ValueError as exc:
            return render_notice(str(exc), error=True)
        with self._lock, tempfile.TemporaryDirectory(prefix="plansvar-up-") as tmp:
            staged, skipped = self._stage(files, Path(tmp))
            html_report = self._ingest(staged, skipped, meta)
        # Reasons name the staged file; the uploader knows it by its name only.
        return html_report.replace(html.escape(str(Path(tmp)) + os.sep), "")

    def _stage(
        self, files: Sequence[Any], folder: Path
    ) -> tuple[list[Path], list[str]]:
        """Copy each file under its safe name; reasons for those not copied."""
        limit = LoadLimits.from_env().max_bytes
        staged: list[Path] = []
        skipped: list[str] = []
        for item in files:
            source, original = _source(item)
            try:
                name = safe_name(original)
            except ValueError as exc:
                skipped.append(str(exc))
                continue
            if Path(name).suffix.lower() not in EXTENSIONS:
                skipped.append(f"{name}: only {' '.join(EXTENSIONS)} files can be read")
            elif (folder / name).exists():
                skipped.append(f"{name}: two files with this name in one upload")
            elif not source.is_file():
                skipped.append(f"{name}: the upload did not arrive; try again")
            elif source.stat().st_size > limit:
                skipped.append(
                    f"{name}: larger than {limit / 2**20:g} MB "
                    "(ASSISTANT_INGEST_MAX_MB)"
                )
            else:
                shutil.copyfile(source, folder / name)
                # A sidecar already next to the documents applies, as in the CLI.
                sidecar = sidecar_path(self.settings.documents_dir / name)
                if sidecar.is_file():
                    shutil.copyfile(sidecar, sidecar_path(folder / name))
                staged.append(folder / name)
        return staged, skipped

    def _ingest(
        self, staged: list[Path], skipped: list[str], meta: Mapping[str, object]
    ) -> str:
        from assistant.ingest_root import build_indexer

        notes = [f"skipped {reason}" for reason in skipped]
        if not staged:
            return _report("Inget dokument indexerades.", notes, error=True)
        settings = self.settings
        try:
            report = build_indexer(settings).ingest(staged, progress=False, meta=meta)
        except Exception as exc:  # the old index stays; the page says why
            log.exception("upload ingest failed")
            return _report(
                f"Indexeringen misslyckades: {type(exc).__name__}: {exc}\n"
                "Det tidigare indexet används fortfarande.",
                notes,
                error=True,
            )
        lines = [report.summary(), *notes]
        if not report.built:
            return _report("Indexet ändrades inte.", lines, error=not report.unchanged)
        indexed = {*report.added, *report.replaced}
        target = settings.documents_dir
        target.mkdir(parents=True, exist_ok=True)
        for path in staged:
            if path.name in indexed:
                shutil.move(path, target / path.name)
        try:
            self.swap(self._new_assistant())
        except Exception as exc:
            log.exception("assistant rebuild after upload failed")
            return _report(
                f"Indexet byggdes men assistenten kunde inte startas om: {exc}\n"
                "Chatten svarar från det tidigare indexet tills servern startas om.",
                lines,
                error=True,
            )
        log.info("upload indexed %s", sorted(indexed))
        return _report("Klart: chatten svarar nu från det nya indexet.", lines)

    def _new_assistant(self) -> AssistantLike:
        if self._build is not None:
            return self._build(self.settings)
        from assistant.app import build_assistant

        return build_assistant(self.settings)

    def swap(self, new: AssistantLike) -> None:
        """Point the shared chat handlers at ``new``.

        Derived lookups are replaced first (fresh objects, bound to ``new``), the
        assistant last in one assignment; a request already running keeps the
        assistant it started with.
        """
        chat = self.chat
        docs = new.documents()

        def lines(doc: str) -> tuple[str, ...]:
            try:
                return tuple(new.document_lines(doc))
            except Exception:  # an unknown document only loses the context lines
                return ()

        chat.lines_for = lru_cache(maxsize=64)(lines)
        chat._meta = {d.doc: d for d in docs}
        chat.docs = docs
        if chat.access is None:
            chat.public_docs = docs
        chat.unavailable = ""
        chat.assistant = new


def _report(headline: str, lines: Sequence[str], *, error: bool = False) -> str:
    body = html.escape("\n".join(line for line in lines if line))
    return render_notice(headline, error=error) + (
        f'<pre class="ps-upload-report">{body}</pre>' if body else ""
    )


def upload_tab(uploads: UploadHandlers, *, visible: bool) -> gr.Tab:
    """The "Ladda upp" tab; call inside ``gr.Tabs()``."""
    with gr.Tab("Ladda upp", visible=visible, elem_id="upload-tab") as tab:
        gr.Markdown(
            f"Lägg till eller ersätt dokument (.txt, .md, .pdf, .docx; högst "
            f"{MAX_FILES} filer). Fälten nedan är frivilliga och gäller alla filer "
            "i uppladdningen; tomma fält läses ur dokumentet."
        )
        files = gr.File(
            file_count="multiple",
            file_types=list(EXTENSIONS),
            label="Dokument",
            elem_id="upload-files",
        )
        with gr.Row():
            municipality = gr.Textbox(label="Kommun", elem_id="upload-kommun")
            organ = gr.Textbox(label="Organ", elem_id="upload-organ")
            kind = gr.Textbox(label="Typ (t.ex. nämndplan)", elem_id="upload-kind")
            year = gr.Textbox(label="År", elem_id="upload-year")
        button = gr.Button("Ladda upp och indexera", variant="primary")
        status = gr.HTML(elem_id="upload-status")
        button.click(
            uploads.upload,
            [files, municipality, organ, kind, year],
            status,
            api_visibility="private",
            concurrency_limit=1,
            concurrency_id="upload",
        )
    return tab
