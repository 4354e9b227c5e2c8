"""Clients and sales: the plan, the client file, segments, CRM settings."""
