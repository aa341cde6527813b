"""Colours (SPEC T-5) and the application style sheet, in one place."""

from __future__ import annotations

OVERDUE_TEXT = "#c62828"
OVERDUE_BACKGROUND = "#ffebee"
SOON_TEXT = "#8a5300"
SOON_BACKGROUND = "#fff3d6"
MUTED_TEXT = "#5f6b7a"
ACCENT = "#1f5fa8"

STYLE_SHEET = f"""
QWidget#sidebar {{ background: #eef2f7; border-right: 1px solid #d5dce6; }}
QLabel#officeName {{ font-size: 12pt; font-weight: bold; color: {ACCENT}; padding: 16px 14px 0 14px; }}
QLabel#appName {{ color: {MUTED_TEXT}; padding: 2px 14px 12px 14px; border-bottom: 1px solid #d5dce6; }}
QListWidget#navigation {{ background: transparent; border: none; outline: 0; padding-top: 8px; }}
QListWidget#navigation::item {{ padding: 9px 14px; color: #243447; }}
QListWidget#navigation::item:selected {{ background: {ACCENT}; color: white; }}
QListWidget#navigation::item:hover:!selected {{ background: #dde5ef; }}
QLabel#pageTitle {{ font-size: 17pt; font-weight: bold; color: #1c2b3a; }}
QLabel#pageSubtitle, QLabel#muted {{ color: {MUTED_TEXT}; }}
QLabel#sectionTitle {{ font-size: 12pt; font-weight: bold; color: #1c2b3a; padding-top: 6px; }}
QLabel#sectionTitle[urgency="overdue"] {{ color: {OVERDUE_TEXT}; }}
QLabel#sectionTitle[urgency="soon"] {{ color: {SOON_TEXT}; }}
QLabel#townshipWarnings {{ color: {SOON_TEXT}; }}
QLabel#emptyNote {{ color: {MUTED_TEXT}; padding: 4px 2px 8px 2px; }}
QLabel#fieldError, QLabel#generalError {{ color: {OVERDUE_TEXT}; }}
QLabel#matterNumber {{ font-size: 15pt; font-weight: bold; color: #1c2b3a; }}
QLabel#matterTitle {{ font-size: 12pt; color: #1c2b3a; }}
QLabel#statusBadge {{
    background: #e3edf9; color: {ACCENT}; border-radius: 4px; padding: 3px 10px; font-weight: bold;
}}
QLabel#placeholderTitle {{ font-size: 17pt; font-weight: bold; color: #1c2b3a; }}
QLabel#placeholderText {{ font-size: 11pt; color: {MUTED_TEXT}; }}
QPushButton#registerButton {{
    background: {ACCENT}; color: white; border: none; border-radius: 4px; padding: 6px 18px; font-weight: bold;
}}
QPushButton#registerButton:hover {{ background: #174b86; }}
QPushButton[action] {{ padding: 4px 14px; }}
QListView#unitList::item {{ padding: 2px 10px 2px 2px; }}
QTableView {{ gridline-color: #e3e7ed; selection-background-color: #cfe0f5; selection-color: #1c2b3a; }}
QHeaderView::section {{
    background: #f3f5f8; border: none; border-bottom: 1px solid #d5dce6; border-right: 1px solid #e3e7ed;
    padding: 5px 6px; font-weight: bold; color: #33475b;
}}
QGroupBox {{ font-weight: bold; border: 1px solid #d5dce6; border-radius: 4px; margin-top: 12px; padding-top: 8px; }}
QGroupBox::title {{ subcontrol-origin: margin; left: 10px; padding: 0 4px; }}
QStatusBar QLabel {{ color: #33475b; padding: 0 8px; }}
QStatusBar QLabel#userLabel {{ color: #1c2b3a; font-weight: bold; }}
QLabel#loginOffice {{ font-size: 17pt; font-weight: bold; color: {ACCENT}; }}
QWidget#lockOverlay {{ background: #dfe6ef; }}
QFrame#lockPanel {{ background: white; border: 1px solid #c9d3df; border-radius: 6px; }}
QPushButton#loginButton, QPushButton#unlockButton {{
    background: {ACCENT}; color: white; border: none; border-radius: 4px; padding: 6px 18px; font-weight: bold;
}}
QPushButton#loginButton:hover, QPushButton#unlockButton:hover {{ background: #174b86; }}
"""
