"""The checks: one module per check, `checks/<family>/<check_id>.py`, each with a `CHECK`.

The registry that finds them is `checks/registry.py`. This package imports nothing, so that
a check's module can be loaded without the others (the command-line scanner loads only the
checks that need nothing but files).
"""
