"""Readers that gather facts for the checks."""
