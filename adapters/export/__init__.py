"""Exported conversations as files: Markdown, JSON, DOCX (python-docx), PDF (fpdf2 with the Noto Sans
font of the fontpkg-noto-sans package, so Cyrillic and other non-Latin text renders)."""
