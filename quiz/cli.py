"""Command-line tools: `flask banks …` (check, sync, import, export), `flask users …` and `flask srs …`."""
from __future__ import annotations

import functools
import json
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any, Callable

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy.exc import SQLAlchemyError

from .domain.problems import BankError
from .extensions import db
from .models.types import utcnow
from . import interchange
from .services import accounts, banks as bank_service, interchange as interchange_service, optimizing

banks_cli = AppGroup("banks", help="Check, load and export question banks.")
users_cli = AppGroup("users", help="Manage accounts.")
srs_cli = AppGroup("srs", help="Spaced repetition: fit learners' FSRS parameters.")


def _paths(paths: tuple[Path, ...]) -> list[Path]:
    return list(paths) or [Path(current_app.config["BANKS_DIR"])]


class _Progress:
    """Shows which file or question is being handled, on stderr, when it is a terminal."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.count = 0
        self.enabled = sys.stderr.isatty()

    def __call__(self, item: str) -> None:
        self.count += 1
        if self.enabled:
            click.echo(f"\r{self.label} {self.count}: {item[-60:]:<60}", err=True, nl=False)

    def done(self) -> None:
        if self.enabled and self.count:
            click.echo("\r" + " " * 90 + "\r", err=True, nl=False)


UPGRADE = "flask --app wsgi db upgrade"
# Commands that work without a database (banks check then skips the ids taken in the database).
WITHOUT_DATABASE = {("banks", "check"), ("banks", "import")}


def _database_problem() -> str | None:
    """Why the database cannot serve the commands (unreachable, never migrated), or None."""
    try:
        present = set(sa.inspect(db.engine).get_table_names())
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        return f"cannot open the database ({reason}); check QUIZ_DATABASE_URL, then run `{UPGRADE}`"
    missing = sorted(set(db.metadata.tables) - present)
    if not missing:
        return None
    if len(missing) == len(db.metadata.tables):
        return f"the database has no tables yet: run `{UPGRADE}` first"
    return f"the database is missing tables ({', '.join(missing)}): run `{UPGRADE}` first"


def _needs_database(callback: Callable[..., Any]) -> Callable[..., Any]:
    """Run a command only on a migrated database; otherwise one line saying what to run, exit 1."""

    @functools.wraps(callback)
    def run(*args: Any, **kwargs: Any) -> Any:
        problem = _database_problem()
        if problem is not None:
            raise click.ClickException(problem)
        return callback(*args, **kwargs)

    return run


def _print_problems(error: BankError) -> None:
    for problem in error.problems:
        click.echo(str(problem), err=True)
    files = len({p.path for p in error.problems})
    click.secho(f"{len(error.problems)} problem{'s' if len(error.problems) != 1 else ''} "
                f"in {files} file{'s' if files != 1 else ''}.", err=True, fg="red")


@banks_cli.command("check")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
def check_banks(paths: tuple[Path, ...]) -> None:
    """Check bank files (default: the bundled questions/); list every problem."""
    progress = _Progress("checking")
    try:
        # question ids taken by banks in the database too, when there is one to ask
        specs = bank_service.check_banks(_paths(paths), progress, with_database=not _database_problem())
    except BankError as error:
        progress.done()
        _print_problems(error)
        sys.exit(1)
    progress.done()
    total = 0
    for counts in bank_service.summarize(specs):
        total += counts.questions
        click.echo(f"{counts.bank_id}: {counts.questions} questions — {counts.title}")
        click.echo("  types: " + ", ".join(f"{t} {n}" for t, n in sorted(counts.by_type.items())))
        click.echo("  tags:  " + ", ".join(f"{t} {n}" for t, n in sorted(counts.by_tag.items())))
    click.secho(f"OK: {len(specs)} bank{'s' if len(specs) != 1 else ''}, {total} questions, no problems.",
                fg="green")


@banks_cli.command("sync")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
def sync_banks(paths: tuple[Path, ...]) -> None:
    """Load bank files into the database (default: questions/). All or nothing."""
    progress = _Progress("syncing")
    try:
        report = bank_service.sync_banks(_paths(paths), utcnow(), progress)
    except BankError as error:
        progress.done()
        _print_problems(error)
        click.echo("Nothing was changed in the database.", err=True)
        sys.exit(1)
    progress.done()
    click.echo(f"added {len(report.added)}, updated {len(report.updated)}, "
               f"retired {len(report.retired)}, unchanged {len(report.unchanged)}")


@banks_cli.command("export")
@click.option("--format", "fmt", type=click.Choice(["jsonl", *sorted(interchange.EXPORTERS)]), default="jsonl",
              show_default=True, help="jsonl: one JSON object per question; the others: a file of one bank.")
@click.option("--bank", "bank_id", help="Only this bank's questions (required for every format but jsonl).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path), default="-",
              help="File to write (default: standard output, for the text formats).")
def export_banks(fmt: str, bank_id: str | None, output: Path) -> None:
    """Export active questions: as JSON lines, or one bank as yaml, csv, apkg (Anki), qti (QTI 2.1 zip)…"""
    if bank_id is not None and not bank_service.bank_exists(bank_id):
        raise click.ClickException(f"there is no bank '{bank_id}'; run `flask banks sync` first?")
    if fmt == "jsonl":
        with click.open_file(str(output), "w", encoding="utf-8") as out:
            for record in bank_service.export_questions(bank_id):
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        return
    if bank_id is None:
        raise click.UsageError(f"--format {fmt} exports one bank: name it with --bank ID")
    spec = interchange_service.bank_spec(bank_id)
    assert spec is not None
    exported = interchange_service.export_file(spec, fmt)
    if str(output) == "-" and fmt in ("apkg", "qti"):
        raise click.UsageError(f"an {fmt} file is not text: write it to a file with -o {exported.filename}")
    with click.open_file(str(output), "wb") as out:
        out.write(exported.data)
    omitted = interchange.left_out_of(fmt, spec)
    for question, why in omitted:
        click.echo(f"left out {question.id}: {why}", err=True)
    if str(output) != "-":
        click.echo(f"wrote {output} ({len(spec.questions) - len(omitted)} questions"
                   + (f", {len(omitted)} left out)" if omitted else ")"), err=True)


@banks_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(sorted(interchange.IMPORTERS)), required=True,
              help="The file's format.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path), default="-",
              help="The bank file to write (default: standard output).")
@click.option("--separator", default="tab", show_default=True,
              help="quizlet: what separates a term from its definition: tab, comma, semicolon or your own text.")
@click.option("--bank-id", help="The new bank's id (default: made from the file name).")
@click.option("--title", help="The new bank's title (default: the file name).")
@click.option("--language", default="en", show_default=True, help="The new bank's language tag.")
def import_bank(file: Path, fmt: str, output: Path, separator: str, bank_id: str | None, title: str | None,
                language: str) -> None:
    """Turn a GIFT, Quizlet (pasted text) or CSV file into a bank file; list every problem and
    every skipped item with its line. Exit 1 if there is any problem (the bank is written anyway)."""
    options = {"separator": separator, "bank_id": bank_id, "title": title, "language": language}
    conversion = interchange.convert(fmt, file.read_bytes(), str(file),
                                     **{k: v for k, v in options.items() if v is not None})
    for item in conversion.skipped:
        click.echo(str(item), err=True)
    for problem in conversion.problems:
        click.echo(str(problem), err=True)
    with click.open_file(str(output), "w", encoding="utf-8") as out:
        out.write(conversion.text)
    count = len(conversion.spec.questions) if conversion.spec else 0
    summary = (f"{count} question{'s' if count != 1 else ''}, {len(conversion.skipped)} skipped, "
               f"{len(conversion.problems)} problem{'s' if len(conversion.problems) != 1 else ''}")
    if str(output) != "-":
        summary = f"wrote {output}: {summary}"
    if conversion.problems:
        click.secho(summary + "; fix them before `flask banks sync`.", err=True, fg="red")
        sys.exit(1)
    click.secho(summary + ".", err=True, fg="green")


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(["learner", "instructor", "admin"]), default="learner", show_default=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              help="Asked for when not given.")
def create_user(email: str, role: str, password: str) -> None:
    """Create an account with a role."""
    if len(password) < 8:
        raise click.ClickException("the password needs at least 8 characters")
    try:
        user = accounts.create_user(email, password, role)
    except accounts.AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"created {user.role} {user.email}")


@users_cli.command("set-role")
@click.argument("email")
@click.argument("role", type=click.Choice(["learner", "instructor", "admin"]))
def set_role(email: str, role: str) -> None:
    """Change an account's role."""
    try:
        user = accounts.set_role(email, role)
    except accounts.AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{user.email} is now {user.role}")


@users_cli.command("purge-guests")
@click.option("--older-than", "days", type=click.IntRange(min=1), required=True, metavar="DAYS",
              help="Delete guests with no activity in this many days.")
def purge_guests(days: int) -> None:
    """Delete guest accounts (and their progress) that did nothing for DAYS days."""
    count = accounts.purge_guests(utcnow() - timedelta(days=days))
    click.echo(f"deleted {count} guest{'s' if count != 1 else ''} with no activity in the last {days} days")


@srs_cli.command("optimize")
@click.option("--user", "email", metavar="EMAIL", help="Only this learner.")
def optimize_parameters(email: str | None) -> None:
    """Fit FSRS parameters to each learner's history; adopt them where they predict better.

    Without --user: every registered learner with enough reviews.
    """
    if email is not None:
        learner = optimizing.find_learner(email)
        if learner is None:
            raise click.ClickException(f"there is no account '{email}'")
        chosen = [learner]
    else:
        chosen = optimizing.learners()
    progress = _Progress("optimizing")
    adopted = kept = skipped = failed = 0
    for learner in chosen:
        if learner.review_count < optimizing.MIN_REVIEWS:
            skipped += 1
            plural = "s" if learner.review_count != 1 else ""
            click.echo(f"{learner.email} has {learner.review_count} review{plural}; "
                       f"{optimizing.MIN_REVIEWS} are needed")
            continue
        progress(learner.email)
        try:
            result = optimizing.optimize(learner.user_id, utcnow())
        except optimizing.NotEnoughReviews as exc:
            progress.done()
            skipped += 1
            click.echo(f"{learner.email}: {exc}")
            continue
        except ValueError as exc:  # fsrs-rs refused the history or its result
            progress.done()
            failed += 1
            click.secho(f"{learner.email}: could not fit parameters: {exc}", err=True, fg="red")
            continue
        progress.done()
        adopted += result.adopted
        kept += not result.adopted
        verdict = "adopted" if result.adopted else "kept the current parameters"
        click.echo(f"{learner.email}: {result.review_count} reviews; "
                   f"log loss {result.log_loss_before:.4f} → {result.log_loss_after:.4f}, "
                   f"RMSE {result.rmse_before:.4f} → {result.rmse_after:.4f}; {verdict}")
    if email is None:
        click.echo(f"{adopted + kept} fitted: {adopted} adopted, {kept} kept; "
                   f"{skipped} with fewer than {optimizing.MIN_REVIEWS} reviews"
                   + (f"; {failed} failed" if failed else ""))
    if failed:
        sys.exit(1)


# --- flask classes … (class gradebooks) -------------------------------------------------

classes_cli = AppGroup("classes", help="Classes: gradebooks for scripts.")


@classes_cli.command("gradebook")
@click.argument("code")
@click.option("--format", "fmt", type=click.Choice(["csv"]), default="csv", show_default=True,
              help="Output format.")
@click.option("--answers", is_flag=True, help="One row per answer instead of one row per student.")
@click.option("--excel", is_flag=True, help="For Excel: a byte-order mark and ';' as the separator.")
def classes_gradebook(code: str, fmt: str, answers: bool, excel: bool) -> None:
    """Print the gradebook of the class with join code CODE (the same figures as its page)."""
    from .services import classes as class_service, gradebook

    classroom = class_service.class_by_code(code)
    if classroom is None:
        raise click.ClickException(f"no class has the code {code}")
    text = gradebook.answers_csv(classroom, excel) if answers else gradebook.grid_csv(classroom, utcnow(), excel)
    click.echo(text, nl=False)


def init_app(app: Flask) -> None:
    from . import insights_cli  # noqa: F401  (adds `classes demo` and `classes item-analysis`)

    for group in (banks_cli, users_cli, srs_cli, classes_cli):
        for name, command in group.commands.items():
            if (group.name, name) not in WITHOUT_DATABASE and not getattr(command, "_needs_database", False):
                command.callback = with_appcontext(_needs_database(command.callback))  # type: ignore[arg-type]
                command._needs_database = True  # type: ignore[attr-defined]  # wrapped once per process
    app.cli.add_command(banks_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(srs_cli)
    app.cli.add_command(classes_cli)
