"""Warehouse: items, stock documents, balances and the ledger."""
