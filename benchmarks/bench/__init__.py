"""Helpers of benchmarks/run.py: endpoints and checks, servers, wrk, report."""
