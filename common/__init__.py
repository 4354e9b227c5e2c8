"""What every layer may import and that imports nothing of Twara's: translation, domain
errors, roles and the acting user. `db/`, `core/`, `emails/` and the screens stand on it."""
