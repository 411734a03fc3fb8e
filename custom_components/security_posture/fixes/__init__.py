"""Fix flows, one module per fixable check."""
