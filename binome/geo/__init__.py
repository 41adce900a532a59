"""Offline geography: French communes and postcodes, Belgian postcodes (pure Python)."""
