"""Plansvar: corpus layer."""
