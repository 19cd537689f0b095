"""Prompts of the accountant's assistant."""
