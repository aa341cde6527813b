"""The PySide6 user interface. Qt is imported under this package only (STYLE.md)."""
