"""specloom's code generator: OpenAPI document in, typed server package out."""
