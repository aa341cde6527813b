"""Packet errors: a bad packet is refused with a plain reason a clerk can pass on (S-3)."""

from __future__ import annotations

from ..domain.errors import DomainError


class PacketRejected(DomainError):
    """The packet is invalid, forged, altered, not for us, or from an unknown sender; nothing was written."""


class KeyProblem(DomainError):
    """An enrolment file, pinned key or rotation statement is wrong or cannot be used."""
