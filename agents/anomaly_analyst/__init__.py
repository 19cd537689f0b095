"""The anomaly analyst: duplicate, unusual or out-of-policy spends since the last run."""
