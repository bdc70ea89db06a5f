"""Onboarding briefs: a document's essentials in eight cited parts (issue 15)."""
