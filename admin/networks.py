"""The admins' "Netzwerke": list, create, edit, deactivate and reactivate networks; the Begleitung's address page."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3; stubs: 3.2

from admin import bp
from admin.access import account, found, roles, staff_only
from admin.content import network_or_404
from admin.forms import ActionForm, AddressForm, NetworkForm
from hotline.models import Network
from hotline.services import network_admin
from hotline.services.networks import SpecError, fields_of, spec_of
from hotline.web import request_db

admin_only = roles("admin")


@bp.get("/netzwerke")
@admin_only
def networks_page():
    """Every network with its Stadtteile, numbers and state."""
    return render_template("admin/networks.html", networks=network_admin.all_networks(request_db.session()))


def _form(network: Network | None) -> NetworkForm:
    form = NetworkForm()
    form.begleitung.choices = [SelectChoice(user.id, user.display_name or user.email)
                               for user in network_admin.begleitung_accounts(request_db.session())]
    if network is not None and not form.is_submitted():
        form.fill(fields_of(spec_of(network)))
        form.begleitung.data = [user.id for user in network.users if user.role == "begleitung"]
    return form


def _show_errors(form: NetworkForm, error: SpecError) -> None:
    for field_error in error.errors:
        field = form[field_error.field]
        field.errors = [*field.errors, field_error.message]


@bp.route("/netzwerke/neu", methods=["GET", "POST"])
@admin_only
def new_network():
    """Create a network; it answers its numbers as soon as it is saved."""
    form = _form(None)
    if form.validate_on_submit():
        try:
            network = network_admin.create_network(request_db.session(), form.service_fields(),
                                                    begleitung_ids=form.begleitung.data or [], actor_id=account().id)
        except SpecError as error:
            _show_errors(form, error)
        else:
            flash(f"Das Netzwerk „{network.name}“ ist angelegt.")
            return redirect(url_for("admin.networks_page"))
    return render_template("admin/network_form.html", form=form, network=None)


@bp.route("/netzwerke/<int:network_id>", methods=["GET", "POST"])
@admin_only
def edit_network(network_id: int):
    """Change a network's fields and Begleitung (its slug stays)."""
    network = found(network_admin.get_network(request_db.session(), network_id))
    form = _form(network)
    if form.validate_on_submit():
        try:
            network_admin.update_network(request_db.session(), network, form.service_fields(),
                                         begleitung_ids=form.begleitung.data or [], actor_id=account().id)
        except SpecError as error:
            _show_errors(form, error)
        else:
            flash(f"Das Netzwerk „{network.name}“ ist gespeichert.")
            return redirect(url_for("admin.networks_page"))
    return render_template("admin/network_form.html", form=form, network=network, action_form=ActionForm())


@bp.get("/netzwerke/<int:network_id>/deaktivieren")
@admin_only
def confirm_deactivate_network(network_id: int):
    """Ask before deactivating: what callers of its numbers will hear instead."""
    network = found(network_admin.get_network(request_db.session(), network_id))
    return render_template("admin/network_deactivate.html", network=network)


@bp.post("/netzwerke/<int:network_id>/deaktivieren")
@admin_only
def deactivate_network(network_id: int):
    """Deactivate: its numbers answer as the city-wide line; nothing is deleted."""
    return _set_active(network_id, False, "ist deaktiviert. Seine Nummern antworten jetzt wie die stadtweite Hotline.")


@bp.post("/netzwerke/<int:network_id>/aktivieren")
@admin_only
def activate_network(network_id: int):
    """Reactivate: its numbers answer with its own line again."""
    return _set_active(network_id, True, "ist wieder aktiv.")


def _set_active(network_id: int, active: bool, outcome: str):
    network = found(network_admin.get_network(request_db.session(), network_id))
    network_admin.set_active(request_db.session(), network, active, actor_id=account().id)
    flash(f"Das Netzwerk „{network.name}“ {outcome}")
    return redirect(url_for("admin.networks_page"))


@bp.route("/inhalte/<int:network_id>/anschrift", methods=["GET", "POST"])
@staff_only
def network_address(network_id: int):
    """The Anlaufstelle's address as callers hear it (the Begleitung's own network)."""
    network = network_or_404(network_id)
    form = AddressForm(obj=network)
    if form.validate_on_submit():
        try:
            network_admin.update_address(request_db.session(), network, form.address.data or "",
                                         actor_id=account().id)
        except SpecError as error:
            form.address.errors = [item.message for item in error.errors]
        else:
            flash("Die Adresse ist gespeichert.")
            return redirect(url_for("admin.content_page", network_id=network.id))
    return render_template("admin/network_address.html", network=network, form=form)
