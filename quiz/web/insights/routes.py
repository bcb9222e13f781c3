"""Item analysis per assignment, the class mastery map, and the bank lint fragment."""
from __future__ import annotations

from flask import abort, current_app, render_template, request
from flask_login import login_required
from markupsafe import Markup

from ...domain import charts, item_analysis as ia, item_report
from ...models import Assignment, Classroom
from ...models.types import utcnow
from ...services import assignments, item_analysis, mastery_map
from ..auth.learner import current_learner
from ..classes.routes import _teacher_class  # the same access rule as every class page
from . import bp


def _quiz_assignment(classroom: Classroom, assignment_id: int) -> Assignment:
    assignment = assignments.get_assignment(classroom, assignment_id)
    if assignment is None or assignment.kind != "quiz":
        abort(404)
    return assignment


@bp.route("/<int:class_id>/assignments/<int:assignment_id>/analysis")
@login_required
def item_analysis_page(class_id: int, assignment_id: int) -> str:
    """Moodle's quiz statistics for one assignment: first attempts, or all with ?attempts=all."""
    classroom = _teacher_class(class_id)
    assignment = _quiz_assignment(classroom, assignment_id)
    which = request.args.get("attempts", "first")
    which = which if which in item_analysis.WHICH else "first"
    result = item_analysis.analyse_assignment(assignment, which)
    questions = result.analysis.questions
    svgs = {"facility": Markup(item_report.facility_chart(questions)),
            "discrimination": Markup(item_report.discrimination_chart(questions))} if result.analysis.quiz.attempts else {}
    return render_template("insights/item_analysis.html", classroom=classroom, assignment=assignment,
                           result=result, quiz=result.analysis.quiz, questions=questions, svgs=svgs,
                           figure=item_report.figure, charts=charts, dubious=ia.DUBIOUS_EFFICIENCY)


@bp.route("/<int:class_id>/mastery")
@login_required
def mastery_page(class_id: int) -> str:
    """Per student and bank (or tag): recall now, overdue cards, reviews this week."""
    classroom = _teacher_class(class_id)
    by = request.args.get("by", "bank")
    result = mastery_map.class_mastery(classroom, utcnow(), by if by in mastery_map.GROUPINGS else "bank")
    return render_template("insights/mastery.html", classroom=classroom, result=result, charts=charts)


@bp.app_template_global("bank_lint_for")
def bank_lint_for(bank_id: str) -> item_analysis.BankLint | None:
    """The lint on a bank's questions for its authors (instructors and admins), else None."""
    user = current_learner()
    if user is None or not user.can_author or user.is_guest:
        return None
    return item_analysis.lint_for_bank(bank_id, str(current_app.config.get("BANKS_DIR") or ""))
