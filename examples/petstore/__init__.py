"""The example pet store: `openapi.yaml` and the server `specloom generate` made from it."""
