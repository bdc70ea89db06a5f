"""Plansvar: evals layer."""
