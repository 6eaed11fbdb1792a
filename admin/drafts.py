"""Publishing or discarding a draft of a network's content, the history of versions, restoring one."""

from __future__ import annotations

from dataclasses import dataclass

from flask import flash, redirect, render_template, request, url_for

from admin import bp
from admin.access import account, found, staff_only
from admin.content import network_or_404, now
from admin.forms import ActionForm
from hotline.models import ContentVersion, Network
from hotline.services import drafts
from hotline.web import request_db

# Where each kind of content is edited.
EDIT_PAGES = {"greeting": "admin.line_settings", "newcomer": "admin.newcomer_info",
              "hours": "admin.office_hours", "prompts": "admin.prompt_list", "menu": "admin.menu",
              "activities": "admin.content_page"}
# Long wordings (every prompt text) are compared by their changed lines only.
CHANGED_LINES_ONLY = frozenset({"prompts"})


@dataclass(frozen=True)
class Waiting:
    """A draft waiting to be published, as the start and content pages link to it."""

    network: Network
    title: str
    url: str


@bp.app_template_global()
def waiting_drafts(network_id: int | None = None) -> list[Waiting]:
    """The drafts of one network, or of all the account's networks (None), for a notice on the page.

    Volunteers' proposals have their own notice (admin.activities.waiting_proposals).
    """
    scope = account().network_ids if network_id is None else [network_id]
    return [Waiting(network, drafts.KINDS[kind].title, url_for(EDIT_PAGES[kind], network_id=network.id))
            for network, kind in drafts.waiting(request_db.session(), scope, activity_states=("draft",))]


def _kind_or_404(kind: str) -> str:
    return found(kind if kind in drafts.KINDS else None)


def _edit_page(network: Network, kind: str):
    return redirect(url_for(EDIT_PAGES[kind], network_id=network.id))


@bp.post("/inhalte/<int:network_id>/entwurf/<kind>/veroeffentlichen")
@staff_only
def publish_draft(network_id: int, kind: str):
    """Make the draft live: the next call hears it."""
    network, kind = network_or_404(network_id), _kind_or_404(kind)
    version = drafts.publish(request_db.session(), network, kind, actor_id=account().id, now=now())
    if version is None:
        flash("Es gibt keinen Entwurf zum Veröffentlichen.", "warning")
    else:
        flash(f"{drafts.KINDS[kind].title}: veröffentlicht. Ab dem nächsten Anruf ist es am Telefon zu hören.")
    return _edit_page(network, kind)


@bp.post("/inhalte/<int:network_id>/entwurf/<kind>/verwerfen")
@staff_only
def discard_draft(network_id: int, kind: str):
    """Throw the draft away; the published content stays."""
    network, kind = network_or_404(network_id), _kind_or_404(kind)
    if drafts.discard(request_db.session(), network, kind, actor_id=account().id):
        flash("Der Entwurf ist verworfen.")
    return _edit_page(network, kind)


@bp.get("/inhalte/<int:network_id>/verlauf")
@staff_only
def content_history(network_id: int):
    """Every published version of the network's content, newest first."""
    network = network_or_404(network_id)
    session = request_db.session()
    return render_template("admin/history.html", network=network, versions=drafts.history(session, network.id),
                           kinds=drafts.KINDS)


def _version_or_404(network: Network, version_id: int) -> ContentVersion:
    return found(drafts.published_version(request_db.session(), network.id, version_id))


def _changes(kind: str, before: dict | None, after: dict) -> list[drafts.Change]:
    changes = drafts.compare(kind, before, after)
    return drafts.only_changed(changes) if kind in CHANGED_LINES_ONLY else changes


@bp.get("/inhalte/<int:network_id>/verlauf/<int:version_id>")
@staff_only
def content_version(network_id: int, version_id: int):
    """What one version changed in the wording, compared with the version before it."""
    network = network_or_404(network_id)
    version = _version_or_404(network, version_id)
    previous = drafts.previous_of(request_db.session(), version)
    return render_template("admin/content_version.html", network=network, version=version, previous=previous,
                           kinds=drafts.KINDS,
                           changes=_changes(version.kind, previous.snapshot if previous else None,
                                            version.snapshot))


@bp.route("/inhalte/<int:network_id>/verlauf/<int:version_id>/wiederherstellen", methods=["GET", "POST"])
@staff_only
def restore_content(network_id: int, version_id: int):
    """Ask, then publish the old version's content again as a new version."""
    network = network_or_404(network_id)
    version = _version_or_404(network, version_id)
    session = request_db.session()
    if request.method == "POST":
        restored = found(drafts.restore(session, network, version.id, actor_id=account().id, now=now()))
        flash(f"{drafts.KINDS[version.kind].title}: Version {version.number} gilt wieder "
              f"(jetzt als Version {restored.number}). Ab dem nächsten Anruf ist sie zu hören.")
        return redirect(url_for("admin.content_history", network_id=network.id))
    live = drafts.KINDS[version.kind].live(session, network)
    return render_template("admin/content_restore.html", network=network, version=version, kinds=drafts.KINDS,
                           changes=_changes(version.kind, live, version.snapshot), action_form=ActionForm())
