"""Screens every user has: Home and the Inbox."""
