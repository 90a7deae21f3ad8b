"""Reading originals again for the citation viewer (pages, sheet ranges, sections, lines)."""
