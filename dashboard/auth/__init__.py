"""Login gate and user administration (scrypt hashes in .streamlit/secrets.toml)."""
