"""An outside test set of invoice PDFs: eight Algerian layouts, seeded defects, a scorer."""
