"""The invoice checker: the mandatory mentions and figures of the new invoices (cycle) or of
the invoices named in a request."""
