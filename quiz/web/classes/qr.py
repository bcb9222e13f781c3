"""QR codes of join links, as SVG (segno)."""
from __future__ import annotations

import io

import segno


def qr_svg(text: str, title: str) -> bytes:
    """An SVG QR code of `text`, black on white, scalable for a projector."""
    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="svg", scale=10, border=4, title=title, xmldecl=True,
                                    svgclass=None, lineclass=None)
    return out.getvalue()
