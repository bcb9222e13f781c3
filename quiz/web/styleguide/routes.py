"""/styleguide: admins only; everyone else gets a 404 (the page is not advertised)."""
from __future__ import annotations

from flask import abort, render_template

from ...domain import scheduling
from ..auth.forms import ActionForm
from ..auth.learner import current_learner
from . import bp

# The colour tokens of static/css/app.css, in the order docs/design.md lists them.
COLOURS = ("bg", "surface", "surface-2", "border", "border-strong", "text", "text-muted", "primary",
           "primary-hover", "primary-soft", "ok", "ok-soft", "warn", "warn-soft", "bad", "bad-soft",
           "info", "info-soft", "focus")
TYPE_STEPS = ("-1", "0", "1", "2", "3", "4")
SPACES = tuple(range(1, 9))


@bp.route("/styleguide")
def show() -> str:
    user = current_learner()
    if user is None or user.role != "admin":
        abort(404)
    return render_template("styleguide/show.html", colours=COLOURS, type_steps=TYPE_STEPS, spaces=SPACES,
                           ratings=scheduling.RATINGS, form=ActionForm())
