"""The exposure family: what lets people in from the network besides Home Assistant's login."""
