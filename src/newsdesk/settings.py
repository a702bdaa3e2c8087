"""The one table of settings: environment (NEWSDESK_*) first, then newsdesk.toml, then defaults."""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

CONFIG_FILE = "newsdesk.toml"


class Settings(BaseSettings):
    """Every setting of newsdesk, with its help text."""

    model_config = SettingsConfigDict(
        env_prefix="NEWSDESK_", toml_file=CONFIG_FILE, extra="ignore", validate_default=True
    )

    database_url: str = Field(
        "sqlite:///newsdesk.db",
        description="SQLAlchemy URL of the store: sqlite:///FILE (default) or postgresql+psycopg://…",
    )
    redis_url: SecretStr | None = Field(
        None, description="Redis URL for the job queue; unset means a SQLite queue file beside the database"
    )
    queue_path: str = Field(
        "", description="File of the embedded SQLite job queue (default: the database file + '.queue')"
    )
    queue_name: str = Field(
        "newsdesk", description="Name of the job queue (prefix of its Redis keys): one per deployment"
    )
    workers: int = Field(2, ge=1, le=64, description="Worker threads of a job consumer")
    lock_ttl: float = Field(
        30.0,
        ge=1,
        description="Seconds a job lock outlives a holder that stops renewing it (a killed worker)",
    )
    stage_times: bool = Field(
        False,
        description="Add each task's seconds (wall and CPU) per stage to a Redis hash of the queue "
        "(for newsdesk bench scale; Redis queues only)",
    )
    secret_key: SecretStr | None = Field(
        None,
        description="Key that signs session cookies (32+ random bytes); unset: one is generated on first "
        "start and kept in the store, shared by every process of the deployment",
    )
    public_url: str = Field(
        "",
        description="The address readers use to reach the site, for absolute links in feeds and pages "
        "(default: http://HOST:PORT of `newsdesk serve`)",
    )
    feed_content: Literal["text", "excerpt"] = Field(
        "text",
        description="What the site's output feeds carry as each entry's content: the article's text, or "
        "only its excerpt (the first lines, as lists show)",
    )
    allowed_hosts: str = Field(
        "",
        description="Comma-separated host names the site answers to (e.g. news.example.org, *.example.org); "
        "empty: any",
    )
    comments_per_minute: int = Field(5, ge=1, description="Comments one reader may post in a minute")
    comments_per_day: int = Field(100, ge=1, description="Comments one reader may post in a day")
    comment_max_chars: int = Field(4000, ge=100, le=20_000, description="Longest comment accepted")
    hold_first_comment: bool = Field(
        False, description="Hold a new reader's first comment until a moderator shows it"
    )
    signups_per_hour: int = Field(5, ge=1, description="Accounts one address may create in an hour")
    unread_days_for_new_readers: int = Field(
        14,
        ge=0,
        le=3650,
        description="Days of articles before a reader's account was made that start unread (older ones "
        "count as read until the reader marks them unread)",
    )
    contact_url: str = Field(
        "https://github.com/newsdesk/newsdesk",
        description="Contact address sent in the User-Agent so publishers can reach the operator",
    )
    allow_private_hosts: str = Field(
        "",
        description="Comma-separated hosts or networks (e.g. 127.0.0.1, 10.0.0.0/8) that fetching may reach "
        "although they are not public addresses",
    )
    fetch_connect_timeout: float = Field(10.0, gt=0, description="Seconds to wait for a connection")
    fetch_read_timeout: float = Field(20.0, gt=0, description="Seconds to wait between two reads")
    fetch_total_timeout: float = Field(30.0, gt=0, description="Seconds a whole request may take")
    fetch_max_redirects: int = Field(5, ge=0, le=20, description="Redirects followed at most")
    max_feed_bytes: int = Field(10_000_000, gt=0, description="Largest feed body accepted (decoded)")
    max_page_bytes: int = Field(5_000_000, gt=0, description="Largest article page accepted (decoded)")
    max_image_bytes: int = Field(
        10_000_000, gt=0, description="Largest publisher image fetched for a copy (larger: no image)"
    )
    max_image_pixels: int = Field(
        40_000_000,
        gt=0,
        description="Most pixels an image may have to be copied (a decompression bomb has more)",
    )
    per_host_concurrency: int = Field(2, ge=1, le=32, description="Requests at once to one host")
    per_host_delay: float = Field(0.5, ge=0, description="Seconds between two requests to one host")
    obey_robots: bool = Field(True, description="Fetch article pages only where the site's robots.txt allows")
    poll_interval_min: int = Field(300, ge=30, description="Shortest interval between polls of a source (s)")
    poll_interval_max: int = Field(
        21_600, ge=60, description="Longest interval between polls of a source (s)"
    )
    max_entries_per_poll: int = Field(200, ge=1, description="Feed entries ingested from one poll at most")
    llm_url: str = Field(
        "",
        description="Base URL of an OpenAI-compatible server (Ollama, llama.cpp, vLLM); empty: offline only",
    )
    llm_model: str = Field("", description="Model name to ask the LLM server for")
    llm_api_key: SecretStr = Field(SecretStr(""), description="API key of the LLM server, if it wants one")
    llm_timeout: float = Field(
        30.0, gt=0, description="Seconds an LLM request may take before the offline result"
    )
    log_level: str = Field("INFO", description="Logging level: DEBUG, INFO, WARNING or ERROR")

    @field_validator("secret_key")
    @classmethod
    def refuse_weak_secret_key(cls, value: SecretStr | None) -> SecretStr | None:
        """A configured key must be long and not a placeholder: a known key lets anyone forge sessions."""
        if value is not None:
            problem = weak_key_problem(value.get_secret_value())
            if problem:
                raise ValueError(
                    f"the key {problem}. Unset it to have newsdesk generate and keep one, or set "
                    "32 or more random bytes, e.g. the output of: "
                    "python3 -c 'import secrets; print(secrets.token_urlsafe(48))'"
                )
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls))

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def resolved_queue_path(self) -> Path:
        """Return the file of the SQLite job queue."""
        if self.queue_path:
            return Path(self.queue_path)
        db_file = self.database_url.split(":///", 1)[-1] if self.is_sqlite else "newsdesk.db"
        if not db_file or db_file == ":memory:":
            db_file = "newsdesk.db"
        return Path(db_file + ".queue")

    def private_allowlist(self) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network | str]:
        """Parse allow_private_hosts into networks (for addresses) and host names."""
        allowed: list[ipaddress.IPv4Network | ipaddress.IPv6Network | str] = []
        for item in (part.strip() for part in self.allow_private_hosts.split(",")):
            if not item:
                continue
            try:
                allowed.append(ipaddress.ip_network(item, strict=False))
            except ValueError:
                allowed.append(item.lower())
        return allowed


MIN_KEY_BYTES = 32
# Keys copied from examples and templates: a site signed with one of these can be taken over by anyone.
PLACEHOLDER_KEYS = frozenset(
    {
        "change-me",
        "changeme",
        "change_me",
        "change-this",
        "replace-me",
        "secret",
        "secret-key",
        "secret_key",
        "your-secret-key",
        "your_secret_key",
        "your-secret-key-here",
        "your-secret-key-change-in-production",
        "change-me-to-a-long-random-string",
        "please-change-this-secret-key-in-production",
        "insecure-secret-key-for-development-only",
        "development",
        "test-secret",
        "newsdesk",
    }
)


def weak_key_problem(key: str) -> str:
    """Why ``key`` must not sign sessions ('' when it may)."""
    folded = key.strip().casefold()
    if folded in PLACEHOLDER_KEYS or folded.startswith(("change-me", "changeme", "django-insecure")):
        return "is a placeholder copied from an example"
    if len(key.encode()) < MIN_KEY_BYTES:
        return f"is shorter than {MIN_KEY_BYTES} bytes"
    if len(set(key)) < 8:
        return "repeats too few characters to be random"
    return ""


def mask_url(url: str) -> str:
    """Hide the password of a URL (and a user name given without one, which is often a token)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "***" if "@" in url else url
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    user = f"{parts.username}:***" if parts.password is not None else "***"
    netloc = f"{user}@{host}" + (f":{port}" if port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def describe_settings(settings: Settings) -> list[tuple[str, str, str]]:
    """Return (name, value with secrets masked, help) for every setting."""
    rows = []
    for name, field in Settings.model_fields.items():
        value: Any = getattr(settings, name)
        if isinstance(value, SecretStr):
            secret = value.get_secret_value()
            shown = mask_url(secret) if "://" in secret else ("***" if secret else "")
        else:
            shown = "" if value is None else mask_url(str(value))
        rows.append((f"NEWSDESK_{name.upper()}", shown, field.description or ""))
    return rows


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Read the settings once per process."""
    return Settings()
