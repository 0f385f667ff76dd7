"""Building CSV files for the import tests, as a spreadsheet would save them."""

from __future__ import annotations


def csv_bytes(*rows: str, encoding: str = "utf-8", bom: bool = False) -> bytes:
    """One string per line (cells already joined with their delimiter), CRLF line ends as Excel writes them."""
    text = "\r\n".join(rows) + "\r\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding)
