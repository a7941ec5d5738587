"""Responses: the `Response` class and the response containers."""

from .base import ASGIResponse, Response, ResponsePlan

__all__ = ["ASGIResponse", "Response", "ResponsePlan"]
