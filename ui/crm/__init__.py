"""The forms and tabs of the CRM screens: labels (labels.py), the client file's tabs
(details, contacts, timeline and logging, contracts, consent, statistics, duplicates), the
import, and the actions of the daily plan. Pages import the piece they show."""
