"""Plansvar: assistant layer."""
