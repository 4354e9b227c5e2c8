"""Administration: activity log, users, e-mail outbox, settings, the own account."""
