"""Khazna (خزنة): the cash agents of an Algerian PME."""

__version__ = "0.1.0"
