"""The model configuration of a run: built from the environment and the run config.

Nothing here reads the environment at import time: :meth:`Configuration.from_env` is called
when a run (or ``khazna doctor``) starts, so tests set variables with ``monkeypatch`` and need
no module reload.

Environment:

==============================  ===========================================================
``OPENAI_API_KEY``              the key; without it the offline template writer is used
                                (a local server that needs none still wants a dummy value)
``OPENAI_BASE_URL``             OpenAI by default; or a local Ollama / vLLM / llama.cpp server
``KHAZNA_MODEL``                the model name (default ``gpt-4o-mini``)
``KHAZNA_TEMPERATURE``          sampling temperature (default 0.2)
``KHAZNA_MODEL_TIMEOUT_S``      seconds per request: connect, first byte, each read (default 8;
                                ``KHAZNA_MODEL_TIMEOUT``, its older name, is still read)
``KHAZNA_MODEL_MAX_RETRIES``    retries on timeouts / 429 / 5xx / connection errors (default 1)
``KHAZNA_WRITER``               ``offline`` forces the template writer even with a key
==============================  ===========================================================

A LangGraph run config may override any field under ``configurable`` (``{"configurable":
{"model": "...", "temperature": 0}}``), as open_deep_research's ``Configuration`` does.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

from khazna.config import MODEL_RETRIES, MODEL_TIMEOUT_S

DEFAULT_MODEL = "gpt-4o-mini"

_ENV_FIELDS: dict[str, str] = {
    "OPENAI_API_KEY": "api_key",
    "OPENAI_BASE_URL": "base_url",
    "KHAZNA_MODEL": "model",
    "KHAZNA_TEMPERATURE": "temperature",
    "KHAZNA_MODEL_TIMEOUT": "timeout",
    "KHAZNA_MODEL_TIMEOUT_S": "timeout",  # read after the older name: it wins
    "KHAZNA_MODEL_MAX_RETRIES": "max_retries",
    "KHAZNA_WRITER": "writer",
}


class ConfigurationError(ValueError):
    """A configuration value that cannot be used; the message names the variable."""


class Configuration(BaseModel):
    """Which writer a run uses and how it talks to the model."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    writer: Literal["model", "offline"] = "offline"
    model: str = DEFAULT_MODEL
    base_url: str | None = None
    api_key: SecretStr | None = None
    temperature: float = Field(default=0.2, ge=0, le=2)
    timeout: float = Field(default=MODEL_TIMEOUT_S, gt=0, description="seconds per HTTP request")
    max_retries: int = Field(default=MODEL_RETRIES, ge=0, le=10)

    @classmethod
    def from_env(
        cls,
        environ: Mapping[str, str] | None = None,
        run_config: Mapping[str, Any] | None = None,
    ) -> Configuration:
        """Read ``environ`` (default ``os.environ``), then apply ``run_config['configurable']``.

        The writer is ``model`` when a key is known, unless ``KHAZNA_WRITER=offline`` or the
        run config says otherwise.
        """
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        source: dict[str, str] = {}
        for var, fieldname in _ENV_FIELDS.items():
            raw = env.get(var)
            if raw is not None and raw.strip():
                values[fieldname] = raw.strip()
                source[fieldname] = var
        forced = values.pop("writer", None)
        if forced is not None and forced not in ("model", "offline"):
            raise ConfigurationError(f"KHAZNA_WRITER vaut 'model' ou 'offline', pas {forced!r}")
        overrides = dict((run_config or {}).get("configurable", {}) or {})
        known = set(cls.model_fields)
        for key, value in overrides.items():
            if key in known and value is not None:
                values[key] = value
                source[key] = f"run config '{key}'"
        if "writer" not in overrides:
            values["writer"] = "model" if values.get("api_key") else "offline"
            if forced == "offline":
                values["writer"] = "offline"
        try:
            return cls(**values)
        except ValidationError as err:
            first = err.errors()[0]
            field = str(first["loc"][0]) if first["loc"] else "?"
            where = source.get(field, field)
            raise ConfigurationError(f"{where}: {first['msg']}") from None

    @property
    def offline(self) -> bool:
        return self.writer == "offline"

    def masked_key(self) -> str | None:
        return mask_key(self.api_key.get_secret_value() if self.api_key else None)

    def describe(self) -> dict[str, Any]:
        """What a person may see: the key masked, never whole."""
        return {
            "writer": self.writer,
            "model": None if self.offline else self.model,
            "base_url": None if self.offline else (self.base_url or "https://api.openai.com/v1"),
            "api_key": self.masked_key(),
            "temperature": self.temperature,
            "timeout": self.timeout,
            "max_retries": self.max_retries,
        }


def mask_key(key: str | None) -> str | None:
    """``sk-proj-abcdef123456`` → ``sk-…3456``; short keys show nothing but their length."""
    if not key:
        return None
    if len(key) < 12:
        return "*" * len(key)
    prefix = key[:3] if key.startswith("sk-") else ""
    return f"{prefix}…{key[-4:]}"
