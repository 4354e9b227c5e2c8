"""The Attachments tab: upload (checked by content), thumbnails, download, archive."""

from __future__ import annotations

import streamlit as st

from common.i18n import N_
from core.services import attachments
from ui.context import current_actor, t, uow
from ui.formatting import Markdown, esc, show
from ui.forms import FieldSlots, run_action
from ui.labels import label, labeller, labels


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} B"


def attachments_tab(entity_type: str, entity_id: int, can_edit: bool, prefix: str) -> None:
    actor = current_actor()
    assert actor is not None
    if can_edit:
        slots = FieldSlots()
        with st.form(f"{prefix}_attach_{entity_id}", clear_on_submit=True):
            upload = st.file_uploader(t("File"), key=f"{prefix}_attach_file_{entity_id}")
            slots.slot("file")
            kind = st.radio(
                t("Kind"),
                list(labels("attachment_kind")),
                format_func=labeller("attachment_kind"),
                horizontal=True,
                key=f"{prefix}_attach_kind_{entity_id}",
            )
            description = st.text_input(t("Description"), key=f"{prefix}_attach_desc_{entity_id}")
            submitted = st.form_submit_button(t("Attach"))
        if submitted:
            if upload is None:
                slots.slots["file"].error(t("Choose a file first."), icon=":material/error:")
            else:
                data = upload.getvalue()
                ok, _ = run_action(
                    lambda: attachments.add_attachment(
                        uow(), actor, entity_type, entity_id, upload.name, data, kind, description
                    ),
                    slots,
                    success=N_("The file was attached."),
                )
                if ok:
                    st.rerun()
    c = st.columns([3, 2])
    search = c[0].text_input(
        t("Search files"), key=f"{prefix}_att_search_{entity_id}", placeholder=t("Name or description...")
    )
    kinds_shown = {"": t("All"), "document": t("Documents"), "photo": t("Photos")}
    kind_filter = c[1].selectbox(
        t("Kind"), list(kinds_shown), format_func=kinds_shown.get, key=f"{prefix}_att_kind_{entity_id}"
    )
    files = attachments.list_attachments(uow(), actor, entity_type, entity_id, search, kind_filter or None)
    if not files:
        st.caption(t("No files found.") if search or kind_filter else t("No files attached yet."))
        return
    for f in files:
        cols = st.columns([1, 4, 2, 2])
        if f["thumbnail"]:
            cols[0].image(f["thumbnail"], width=80)
        else:
            cols[0].markdown(":material/description:")
        title = esc(f["filename"]) + (f" — {esc(f['description'])}" if f["description"] else "")
        cols[1].markdown(
            f"**{title}**  \n{esc(label('attachment_kind', f['kind']))} · "
            f"{esc(_size(f['size_bytes']))} · {show(f['created_at'])}"
        )
        if cols[2].button(t("Prepare download"), key=f"{prefix}_dl_prep_{f['id']}"):
            st.session_state[f"{prefix}_dl_ready"] = f["id"]
        if st.session_state.get(f"{prefix}_dl_ready") == f["id"]:
            name, mime, content = attachments.get_content(uow(), actor, f["id"])
            cols[2].download_button(t("Download"), content, file_name=name, mime=mime, key=f"{prefix}_dl_{f['id']}")
        if can_edit and cols[3].button(t("Archive"), key=f"{prefix}_att_arch_{f['id']}"):
            ok, _ = run_action(
                lambda fid=f["id"]: attachments.archive_attachment(uow(), actor, fid),
                success=N_("The file was archived."),
            )
            if ok:
                st.rerun()


def photo_or_icon(column, photo_id: int | None, icon: Markdown) -> None:  # type: ignore[no-untyped-def]
    """A record's photo (its thumbnail) at the head of its card, or an icon (ours, markdown)."""
    actor = current_actor()
    thumb = attachments.get_thumbnail(uow(), actor, photo_id) if photo_id and actor else None
    if thumb:
        column.image(thumb, width=110)
    else:
        column.markdown(f"## {icon}")
