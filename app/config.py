"""Settings, read from environment variables prefixed OPSLAGSTAVLE_ (see README.md)."""

import contextlib
import os
import secrets
import tempfile
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from pydantic import Field, SecretStr, computed_field
from pydantic_settings import BaseSettings, SettingsConfigDict

# The source tree's catalogue/ folder: the demo catalogue and the taxonomy live there.
PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_CATALOGUE_DIR = PROJECT_DIR / "catalogue"
# The municipality's clock: schedules, dates on pages and statistics days are Danish local time.
TIMEZONE = ZoneInfo("Europe/Copenhagen")


class Settings(BaseSettings):
    """Every setting the application reads; each one is documented in README.md."""

    model_config = SettingsConfigDict(
        env_prefix="OPSLAGSTAVLE_", env_file=".env", env_ignore_empty=True, extra="ignore"
    )

    DATA_DIR: Path = Path("data")
    DATABASE_URL: str | None = None
    INDEX_DIR: Path | None = None
    SECRET_KEY: str | None = None
    DEMO: bool = False
    BASE_URL: str = "http://127.0.0.1:8000"
    CATALOGUE_DIR: Path = DEFAULT_CATALOGUE_DIR
    SITE_NAME: str = "Opslagstavlen"
    MUNICIPALITY: str = ""
    CONTACT_EMAIL: str = ""
    CONTACT_PHONE: str = ""
    # Mail: without a host, mail stays in the outbox (admins see it at /personale/udbakke).
    SMTP_HOST: str = ""
    SMTP_PORT: int = Field(default=587, ge=1, le=65535)
    SMTP_USER: str = ""
    SMTP_PASSWORD: SecretStr = SecretStr("")
    SMTP_FROM: str = ""
    SMTP_STARTTLS: bool = True
    # Seconds before a failed index repair is tried again (doubling up to five minutes).
    INDEX_RETRY_SECONDS: float = Field(default=5.0, gt=0, le=300)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def database_url(self) -> str:
        """The configured database, or an SQLite file in the data directory."""
        if self.DATABASE_URL:
            return self.DATABASE_URL
        return f"sqlite:///{(self.DATA_DIR / 'opslagstavle.sqlite3').resolve()}"

    @computed_field  # type: ignore[prop-decorator]
    @property
    def index_dir(self) -> Path:
        """The search index directory."""
        return self.INDEX_DIR or self.DATA_DIR / "index"

    @property
    def taxonomy_path(self) -> Path:
        return self.CATALOGUE_DIR / "taxonomy.yaml"

    @property
    def concepts_path(self) -> Path:
        """The search vocabulary: what citizens say for what the offers are about."""
        return self.CATALOGUE_DIR / "vocabulary.yaml"

    @property
    def thesaurus_path(self) -> Path:
        return self.CATALOGUE_DIR / "thesaurus.tsv"

    def secret_key(self) -> str:
        """The configured secret key, or one generated once and kept in the data directory.

        Several nodes behind a load balancer must share it, so they set it explicitly.
        """
        if self.SECRET_KEY:
            return self.SECRET_KEY
        path = self.DATA_DIR / "secret_key"
        if path.exists():
            return path.read_text(encoding="ascii").strip()
        self.DATA_DIR.mkdir(parents=True, exist_ok=True)
        # Write a private temp file, then link it into place: when two workers start at once,
        # exactly one link succeeds and both read the same, complete key.
        fd, tmp = tempfile.mkstemp(dir=self.DATA_DIR)
        try:
            os.write(fd, secrets.token_urlsafe(48).encode("ascii"))
            os.close(fd)
            with contextlib.suppress(FileExistsError):
                os.link(tmp, path)
        finally:
            os.unlink(tmp)
        return path.read_text(encoding="ascii").strip()


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment."""
    return Settings()
