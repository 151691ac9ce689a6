"""Outgoing documents as printed: DOCX and PDF in the layout of GB/T 9704-2012.

Both renderers work from one :class:`~documents.rendering.layout.Layout`, the document's elements
already worded as they are printed (``layout.py``), so the two files say the same thing: the DOCX
follows the standard closely (``docx.py``), the PDF is a simpler but faithful rendition
(``pdf.py``).

Classified output carries the reader's watermark (name and time); 绝密 content is never exported
(:class:`ExportRefused`). Logging the export is the caller's business (``audit.record``).
"""

from documents.rendering.docx import render_docx
from documents.rendering.layout import ExportRefused, blocks, chinese_date
from documents.rendering.pdf import render_pdf

__all__ = ["ExportRefused", "blocks", "chinese_date", "render_docx", "render_pdf"]
