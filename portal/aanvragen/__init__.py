"""Applications in progress: the portal side of the form engine (drafts, uploads, submission)."""
