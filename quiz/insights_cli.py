"""`flask classes demo` and `flask classes item-analysis`: added to the `classes` group."""
from __future__ import annotations

import json

import click
from flask import current_app, url_for

from .cli import classes_cli
from .models.types import utcnow
from .services import demo


@classes_cli.command("demo")
@click.option("--seed", type=int, default=None, help="Seed of the simulated class (default: a fixed one).")
def classes_demo(seed: int | None) -> None:
    """Make a demo instructor and a class of 30 simulated students who have taken two
    assignments and studied flashcards, so the gradebook, item analysis and mastery pages
    show a full class. Needs the bundled banks (`flask banks sync`); refuses a second run."""
    try:
        report = demo.make_demo(utcnow(), seed if seed is not None else demo.DEFAULT_SEED)
    except demo.DemoError as exc:
        raise click.ClickException(str(exc)) from exc
    room = report.classroom
    click.echo(f"Demo class “{room.name}” (join code {room.join_code}): {len(report.student_emails)} students, "
               f"{len(report.assignments)} assignments, {report.attempts:,} attempts ({report.answers:,} answers), "
               f"{report.reviews:,} flashcard reviews.")
    click.echo("")
    click.echo("Log in as the teacher:")
    click.echo(f"  email:    {report.teacher_email}")
    click.echo(f"  password: {report.teacher_password}")
    click.echo(f"Students log in as e.g. {report.student_emails[0]} with the password {report.student_password}")
    click.echo("(these passwords are shown only now).")
    click.echo("")
    click.echo("Then open:")
    with current_app.test_request_context():  # paths only: no server name needed
        paths = _demo_paths(report)
    for name, path in paths:
        click.echo(f"  {path}  ({name})")


def _demo_paths(report: "demo.DemoReport") -> list[tuple[str, str]]:
    room = report.classroom
    paths = [("gradebook", url_for("classes.show_gradebook", class_id=room.id)),
             ("mastery", url_for("insights.mastery_page", class_id=room.id))]
    paths += [(f"item analysis of “{a.title}”",
               url_for("insights.item_analysis_page", class_id=room.id, assignment_id=a.id))
              for a in report.assignments]
    return paths


@classes_cli.command("item-analysis")
@click.argument("code")
@click.option("--assignment", "assignment_id", type=int, help="Only this assignment (its id); default: every quiz.")
@click.option("--attempts", "which", type=click.Choice(["first", "all"]), default="first", show_default=True,
              help="The first attempt of each student (as Moodle), or all attempts.")
@click.option("--format", "fmt", type=click.Choice(["json"]), default="json", show_default=True)
def classes_item_analysis(code: str, assignment_id: int | None, which: str, fmt: str) -> None:
    """Print the item analysis of the class with join code CODE: the figures of its page, as
    fractions (0.8 for 80 %), null where they cannot be computed."""
    from .services import assignments, classes, item_analysis

    classroom = classes.class_by_code(code)
    if classroom is None:
        raise click.ClickException(f"no class has the code {code}")
    if assignment_id is not None:
        chosen = assignments.get_assignment(classroom, assignment_id)
        if chosen is None:
            raise click.ClickException(f"the class {classroom.join_code} has no assignment {assignment_id}")
        if chosen.kind != "quiz":
            raise click.ClickException(f"assignment {assignment_id} is a flashcard assignment: no items to analyse")
        work = [chosen]
    else:
        work = item_analysis.quiz_assignments(classroom)
    result = {"class": {"code": classroom.join_code, "name": classroom.name},
              "assignments": [item_analysis.figures(item_analysis.analyse_assignment(a, which)) for a in work]}
    click.echo(json.dumps(result, ensure_ascii=False, indent=2, allow_nan=False))
