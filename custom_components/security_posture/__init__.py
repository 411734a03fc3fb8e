"""Security Posture: checks a Home Assistant installation against the Securing guide."""
