-- wrk script for GET /list on app_mw: a cross-origin request from a client that accepts gzip.
wrk.headers["Origin"] = "https://app.example.com"
wrk.headers["Accept-Encoding"] = "gzip"
