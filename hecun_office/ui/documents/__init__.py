"""文书 in the GUI (SPEC D-4, D-7, D-8): the document register, the drafting editor with its live preview, the
approval actions, printing at 100 % and service."""
