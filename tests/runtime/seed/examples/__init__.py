"""Examples from the Responses page, verbatim but for `litestar` -> `specloom.runtime`, `Litestar` -> `App`."""
