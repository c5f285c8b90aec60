"""Hwallyu (환류): work management for a Korean city hall's Planning & Audit Office."""

__version__ = "0.1.0"
