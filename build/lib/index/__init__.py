"""Plansvar: index layer."""
