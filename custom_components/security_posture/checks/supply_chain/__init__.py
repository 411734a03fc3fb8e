"""The supply-chain family: code from other people that this instance loads."""
