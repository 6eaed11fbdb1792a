"""Accounts: one's own profile; the Begleitung's volunteers; for admins, everyone."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3; stubs: 3.2

from admin import bp
from admin.access import account, found, staff_only
from admin.forms import AccountForm, ActionForm, NewAccountForm, PasswordResetForm, ProfileForm
from hotline.models import User
from hotline.services import numbers, people, queue
from hotline.services.users import UserError
from hotline.web import request_db


@bp.route("/profil", methods=["GET", "POST"])
def profile():
    """One's own name, phone number and e-mail notifications."""
    user = account().user
    form = ProfileForm(obj=user)
    if form.validate_on_submit():
        try:
            people.update_profile(request_db.session(), user, display_name=form.display_name.data or "",
                                  phone=form.phone.data or "",
                                  notify_new_requests=bool(form.notify_new_requests.data))
        except UserError as error:
            form.phone.errors = [str(error)]
        else:
            flash("Ihr Profil ist gespeichert.")
            return redirect(url_for("admin.profile"))
    elif not form.is_submitted() and user.phone:
        form.phone.data = numbers.written(user.phone)
    return render_template("admin/profile.html", form=form)


@bp.get("/personen")
@staff_only
def people_page():
    """The accounts one may manage."""
    return render_template("admin/people.html",
                           users=people.manageable_users(request_db.session(), account().user),
                           action_form=ActionForm())


def _prepare(form: AccountForm) -> None:
    networks = queue.networks_in_scope(request_db.session(), account().network_ids)
    form.networks.choices = [SelectChoice(network.id, network.name) for network in networks]
    if not account().is_admin:
        del form.role


@bp.route("/personen/neu", methods=["GET", "POST"])
@staff_only
def new_person():
    """Create an account; a generated password is shown once on the next page."""
    form = NewAccountForm()
    _prepare(form)
    if form.validate_on_submit():
        try:
            user, password = people.create_account(
                request_db.session(), account().user, email=form.email.data or "",
                display_name=form.display_name.data or "", phone=form.phone.data or "",
                role=form.role.data if "role" in form else "volunteer",
                network_ids=form.networks.data or [], password=form.password.data or None,
            )
        except UserError as error:
            form.email.errors = [*form.email.errors, str(error)]
        else:
            return _show_password_once(user, password if not form.password.data else None)
    return render_template("admin/person_form.html", form=form, person=None)


@bp.route("/personen/<int:user_id>", methods=["GET", "POST"])
@staff_only
def edit_person(user_id: int):
    """Change an account's name, phone, networks and (admins) role."""
    person: User = found(people.get_manageable(request_db.session(), account().user, user_id))
    form = AccountForm(obj=person)
    _prepare(form)
    if not form.is_submitted():
        form.networks.data = [network.id for network in person.networks]
        form.phone.data = numbers.written(person.phone) if person.phone else ""
    elif form.validate():
        try:
            people.update_account(request_db.session(), account().user, person,
                                  display_name=form.display_name.data or "", phone=form.phone.data or "",
                                  network_ids=form.networks.data or [],
                                  role=form.role.data if "role" in form else None)
        except UserError as error:
            form.display_name.errors = [*form.display_name.errors, str(error)]
        else:
            flash("Gespeichert.")
            return redirect(url_for("admin.people_page"))
    return render_template("admin/person_form.html", form=form, person=person,
                           action_form=ActionForm(), reset_form=PasswordResetForm())


@bp.post("/personen/<int:user_id>/deaktivieren")
@staff_only
def deactivate_person(user_id: int):
    """The account can no longer log in (its data and history stay)."""
    return _set_active(user_id, False, "Das Konto ist deaktiviert.")


@bp.post("/personen/<int:user_id>/aktivieren")
@staff_only
def activate_person(user_id: int):
    """The account can log in again."""
    return _set_active(user_id, True, "Das Konto ist wieder aktiv.")


def _set_active(user_id: int, active: bool, message: str):
    person = found(people.get_manageable(request_db.session(), account().user, user_id))
    try:
        people.set_active(request_db.session(), account().user, person, active)
    except UserError as error:
        flash(str(error), "warning")
    else:
        flash(message)
    return redirect(url_for("admin.edit_person", user_id=user_id))


@bp.post("/personen/<int:user_id>/passwort")
@staff_only
def reset_person_password(user_id: int):
    """Give an account a new password; a generated one is shown once."""
    person = found(people.get_manageable(request_db.session(), account().user, user_id))
    form = PasswordResetForm()
    if not form.validate():
        flash(" ".join(form.password.errors) or "Bitte noch einmal versuchen.", "warning")
        return redirect(url_for("admin.edit_person", user_id=user_id))
    try:
        password = people.reset_password(request_db.session(), account().user, person,
                                         form.password.data or None)
    except UserError as error:
        flash(str(error), "warning")
        return redirect(url_for("admin.edit_person", user_id=user_id))
    return _show_password_once(person, None if form.password.data else password)


def _show_password_once(person: User, password: str | None):
    if password is None:
        flash("Gespeichert. Das Passwort ist das, das Sie eingegeben haben.")
        return redirect(url_for("admin.people_page"))
    # Rendered in the POST's answer, never stored or put in a URL: it is shown exactly once.
    return render_template("admin/password_once.html", person=person, password=password)
