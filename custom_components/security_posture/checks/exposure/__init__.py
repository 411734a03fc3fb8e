"""The exposure family: what can be reached, opened or triggered without logging in."""
