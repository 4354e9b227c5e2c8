"""Demo data, loaded through the services as a user would enter it (`python manage.py demo`)."""
