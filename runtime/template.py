"""Template engines: `TemplateConfig` (set on the `App`) and the Jinja2 engine (optional extra)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from .exceptions import ImproperlyConfiguredException, SpecloomException

if TYPE_CHECKING:
    import jinja2

__all__ = [
    "JinjaTemplateEngine",
    "TemplateConfig",
    "TemplateEngineProtocol",
    "TemplateNotFoundException",
    "TemplateProtocol",
]


class TemplateNotFoundException(SpecloomException):
    """A template name the engine cannot find (answered as a plain 500)."""


class TemplateProtocol(Protocol):
    """A loaded template."""

    def render(self, *args: Any, **kwargs: Any) -> str: ...


class TemplateEngineProtocol(Protocol):
    """What `Template` responses need from an engine."""

    def get_template(self, template_name: str) -> TemplateProtocol: ...

    def render_string(self, template_string: str, context: Mapping[str, Any]) -> str: ...


class JinjaTemplateEngine:
    """Jinja2 templates from one or more directories; autoescaping on except for `.txt`."""

    def __init__(
        self,
        directory: Path | Sequence[Path] | None = None,
        engine_instance: jinja2.Environment | None = None,
    ) -> None:
        try:
            import jinja2
        except ImportError:  # pragma: no cover - depends on the installed extras
            raise ImproperlyConfiguredException(
                "jinja2 is not installed: pip install 'specloom[templates]'"
            ) from None
        if directory is not None and engine_instance is not None:
            raise ImproperlyConfiguredException("Give either a directory or a jinja2 Environment")
        if engine_instance is not None:
            self.engine = engine_instance
            return
        loader = jinja2.FileSystemLoader(directory) if directory is not None else None
        autoescape = jinja2.select_autoescape(disabled_extensions=("txt",), default=True)
        self.engine = jinja2.Environment(loader=loader, autoescape=autoescape)

    @classmethod
    def from_environment(cls, jinja_environment: jinja2.Environment) -> JinjaTemplateEngine:
        return cls(engine_instance=jinja_environment)

    def get_template(self, template_name: str) -> TemplateProtocol:
        import jinja2

        try:
            return self.engine.get_template(template_name)
        except jinja2.TemplateNotFound as exc:
            raise TemplateNotFoundException(f"Template {template_name!r} not found") from exc

    def render_string(self, template_string: str, context: Mapping[str, Any]) -> str:
        return self.engine.from_string(template_string).render(context)


@dataclass
class TemplateConfig:
    """How the app renders templates: an engine class built on `directory`, or an engine instance.

    The engine is built once, on first use, and cached here.
    """

    directory: Path | list[Path] | None = None
    engine: Callable[..., TemplateEngineProtocol] = JinjaTemplateEngine
    engine_instance: TemplateEngineProtocol | None = None
    engine_callback: Callable[[Any], None] | None = None
    _engine: TemplateEngineProtocol | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.directory is not None and self.engine_instance is not None:
            raise ImproperlyConfiguredException(
                "TemplateConfig takes a directory or an engine_instance, not both"
            )

    def to_engine(self) -> TemplateEngineProtocol:
        """The engine (built and passed to `engine_callback` on the first call)."""
        if self._engine is None:
            engine = self.engine_instance
            if engine is None:
                engine = self.engine(directory=self.directory)
            if self.engine_callback is not None:
                self.engine_callback(engine)
            self._engine = engine
        return self._engine
