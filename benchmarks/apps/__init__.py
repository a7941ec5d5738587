"""Benchmark apps: one module per framework, each exposing ``app`` and ``app_big``."""
