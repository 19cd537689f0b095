"""Eval datasets (YAML); a package so that installs carry them."""
