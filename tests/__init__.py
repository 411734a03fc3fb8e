"""Tests for Security Posture."""
