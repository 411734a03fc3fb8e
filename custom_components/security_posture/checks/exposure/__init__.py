"""The exposure family: what can be reached, opened or triggered without Home Assistant's login."""
