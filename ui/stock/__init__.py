"""The forms and tabs of the warehouse area: items, stock documents ("invoices"), stock."""
