"""Fix flows shared by checks, and what every flow builds on.

A check declares its fix flow (`Check(fix=...)`); the flow sits beside the check, or here when
it is shared. Every flow opens with a menu: the check's fix, or accepting the risk
(`base.FixFlow`). Flows that edit files go through `safe_write` (backup, atomic write,
verification, rollback).
"""
