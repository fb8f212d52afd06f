"""«Foreslå endring» as a prefilled message: a mailto: link (or an issue form's URL) that
carries the page, the item's id and link, and the revision, so a reader writes only the change.

Every part is percent-encoded on its own (`quote(..., safe="")`), so no content string can add
a header, a recipient or a parameter to the link. The address itself is validated in the model
(`HandbookInfo.feedback_email`: one plain address).
"""

from __future__ import annotations

from urllib.parse import quote

from generator.core.model import HandbookInfo


def feedback_channel(info: HandbookInfo | None) -> bool:
    """Whether the region names a channel; without one, the pages link to «Foreslå endring»
    on «Om håndboka» instead."""
    return info is not None and bool(info.feedback_email or info.feedback_url)


def feedback_href(
    info: HandbookInfo | None, page_title: str, page_link: str, item_id: str | None = None
) -> str | None:
    """The link for «Foreslå endring» on a page (or on one item of it), or None without a
    channel. `page_link` is the page's absolute address."""
    if info is None or not feedback_channel(info):
        return None
    link = f"{page_link}#{item_id}" if item_id else page_link
    subject = f"Forslag til endring: {page_title}" + (f" ({item_id})" if item_id else "")
    lines = [
        f"Side: {page_title}",
        *([f"Utsagn: {item_id}"] if item_id else []),
        f"Lenke: {link}",
        f"Revisjon: {info.revision}",
        "",
        "Hva bør endres, og hvorfor (gjerne med kilde):",
        "",
    ]
    if info.feedback_email:  # RFC 6068: line breaks in a mailto: body are CRLF
        body = "\r\n".join(lines)
        return (
            f"mailto:{quote(info.feedback_email, safe='@')}"
            f"?subject={quote(subject, safe='')}&body={quote(body, safe='')}"
        )
    assert info.feedback_url is not None
    body = "\n".join(lines)
    joiner = "&" if "?" in info.feedback_url else "?"
    return f"{info.feedback_url}{joiner}title={quote(subject, safe='')}&body={quote(body, safe='')}"
