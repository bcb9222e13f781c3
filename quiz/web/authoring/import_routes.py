"""Import a GIFT, CSV or Quizlet file (or pasted cards) as a new draft bank, with a preview of what
will be created and every problem first; export a bank as YAML, CSV, Anki, QTI or GIFT."""
from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_login import login_required

from ...domain.banks import QuestionSpec
from ...domain.question_types import QUESTION_TYPES
from ...interchange import EXPORTERS, left_out_of
from ...models.types import utcnow
from ...services import authoring, interchange
from ..auth.learner import current_learner
from . import bp
from .import_forms import MAX_IMPORT, CreateForm, ImportFileForm, PasteForm
from .routes import author

EXPORT_LABELS = {"yaml": "YAML (our bank format)", "csv": "CSV (spreadsheet; imports back)",
                 "apkg": "Anki deck (.apkg)", "qti": "QTI 2.1 package (.zip; Moodle, Canvas…)", "gift": "GIFT (Moodle)"}
EXPORT_NOUNS = {"qti": "QTI package", "gift": "GIFT file"}  # the formats that may leave questions out


def _page(file_form: ImportFileForm, paste_form: PasteForm, status: int = 200) -> tuple[str, int]:
    return render_template("authoring/import.html", file_form=file_form, paste_form=paste_form,
                           limit=MAX_IMPORT), status


@bp.route("/import")
@login_required
def import_page() -> tuple[str, int]:
    author()
    return _page(ImportFileForm(formdata=None, prefix="file"), PasteForm(formdata=None, prefix="paste"))


@bp.route("/import/file", methods=["POST"])
@login_required
def import_file() -> tuple[str, int]:
    """Preview of an uploaded GIFT or CSV file."""
    author()
    form = ImportFileForm(prefix="file")
    if not form.validate_on_submit():
        return _page(form, PasteForm(formdata=None, prefix="paste"), 422)
    name = (form.file.data.filename or "import").rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:200] or "import"
    data = form.file.data.read(MAX_IMPORT + 1)
    if len(data) > MAX_IMPORT:
        form.file.errors = [f"The file is larger than {MAX_IMPORT // 1000} KB; split it and import each part."]
        return _page(form, PasteForm(formdata=None, prefix="paste"), 422)
    return _preview(form.chosen_format(), data, name, form.bank_id.data, form.title.data)


@bp.route("/import/paste", methods=["POST"])
@login_required
def import_paste() -> tuple[str, int]:
    """Preview of pasted Quizlet-style cards."""
    author()
    form = PasteForm(prefix="paste")
    if not form.validate_on_submit():
        return _page(ImportFileForm(formdata=None, prefix="file"), form, 422)
    text = (form.text.data or "").replace("\r\n", "\n")
    return _preview("quizlet", text.encode(), "pasted cards", form.bank_id.data,
                    form.title.data or "Pasted cards", separator=form.separator_text())


def _preview(fmt: str, data: bytes, name: str, bank_id: str | None, title: str | None,
             **options: str) -> tuple[str, int]:
    extra = {k: v for k, v in (("bank_id", bank_id), ("title", title)) if v}
    preview = interchange.preview_import(fmt, data, name, **options, **extra)
    create = CreateForm(formdata=None, data={"text": preview.conversion.text})
    spec = preview.conversion.spec
    rows = [(QUESTION_TYPES[q.type].label, q.prompt, _answer(q)) for q in spec.questions] if spec else []
    return render_template("authoring/import_preview.html", preview=preview, spec=spec, rows=rows,
                           create=create, name=name), 200


def _answer(question: QuestionSpec) -> str:
    """The answer in words; a dash for a question whose answer has a problem (listed above it)."""
    try:
        return QUESTION_TYPES[question.type].answer_text(question.data)
    except (TypeError, ValueError, KeyError, AttributeError):
        return "—"


@bp.route("/import/create", methods=["POST"])
@login_required
def import_create() -> Response | tuple[str, int]:
    """Create the previewed bank as a draft of mine."""
    user = author()
    form = CreateForm()
    if not form.validate_on_submit():
        abort(400, "The import was not sent whole; import the file again.")
    bank_id, problems = interchange.create_from_import(user, (form.text.data or "").replace("\r\n", "\n"), utcnow())
    if bank_id is None:
        return render_template("authoring/import_refused.html", problems=problems), 422
    flash(f"Created the draft bank {bank_id}" + (f", with {len(problems)} problem(s) to fix before publishing."
                                                 if problems else ". Check it, then publish it."),
          "error" if problems else "success")
    return redirect(url_for("authoring.show", bank_id=bank_id), 303)


def _exporter(bank_id: str) -> None:
    """Only those who may see the answer key: 404 for a bank the user cannot see, 403 otherwise."""
    allowed = interchange.may_export(current_learner(), bank_id)
    if allowed is None:
        abort(404)
    if not allowed:
        abort(403, "Exports carry the answer key: only the bank's authors, instructors (for the bundled banks) "
                   "and administrators may export a bank.")


@bp.route("/<bank_id>/export")
@login_required
def export_page(bank_id: str) -> str:
    """The export formats of a bank."""
    _exporter(bank_id)
    spec, problems = interchange.bank_to_export(bank_id)
    if spec is None and not problems:
        abort(404)
    formats = [(fmt, EXPORT_LABELS.get(fmt, fmt)) for fmt in EXPORT_LABELS if fmt in EXPORTERS]
    omitted = [(noun, missing) for fmt, noun in EXPORT_NOUNS.items()
               if spec is not None and (missing := left_out_of(fmt, spec))]
    return render_template("authoring/export.html", bank_id=bank_id, spec=spec, problems=problems,
                           formats=formats, omitted=omitted,
                           web=authoring.is_web_bank(bank_id))


@bp.route("/<bank_id>/export/<fmt>")
@login_required
def export_download(bank_id: str, fmt: str) -> Response | tuple[str, int]:
    """The bank as a file of one format (a web bank's draft, a bundled bank as loaded)."""
    _exporter(bank_id)
    if fmt not in EXPORTERS:
        abort(404)
    spec, problems = interchange.bank_to_export(bank_id)
    if spec is None:
        if not problems:
            abort(404)
        return render_template("authoring/export.html", bank_id=bank_id, spec=None, problems=problems, formats=[],
                               omitted=[], web=True), 422
    exported = interchange.export_file(spec, fmt)
    return Response(exported.data, mimetype=exported.mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{exported.filename}"',
                             "Cache-Control": "private, no-store"})

