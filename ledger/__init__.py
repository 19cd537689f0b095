"""The ledger: one company's books (models, bundle import/export, bank statements, queries)."""
