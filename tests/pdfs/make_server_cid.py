#!/usr/bin/env python3
"""Typeset a bulletin as server-side generators (iText, reportlab) do: STSong-Light, a CID font the file does not
embed, lines filled to the measure by width, first lines indented two characters.

usage: python tests/pdfs/make_server_cid.py samples/000_….txt tests/pdfs/server-cid-000.pdf
(needs reportlab, which is not a dependency of rectiparse: the fixtures are committed)
"""

import sys

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT, SIZE = "STSong-Light", 12


def main(src: str, out: str) -> None:
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    text = open(src, encoding="utf-8").read().replace("**", "")
    c = canvas.Canvas(out, pagesize=A4)
    width, height = A4
    measure = width - 144
    y = height - 72
    c.setFont(FONT, SIZE)
    for para in text.split("\n"):
        para = para.strip()
        indent = 2 * SIZE
        while para:
            n = 1
            while n < len(para) and pdfmetrics.stringWidth(para[: n + 1], FONT, SIZE) <= measure - indent:
                n += 1
            line, para = para[:n], para[n:]
            if y < 72:
                c.showPage()
                c.setFont(FONT, SIZE)
                y = height - 72
            c.drawString(72 + indent, y, line)
            y -= SIZE * 1.6
            indent = 0
    c.showPage()
    c.save()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
