"""Dependencies routes declare with `Annotated` aliases."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session

from app.catalogue.taxonomy import Vocabulary, load_vocabulary
from app.config import Settings
from app.i18n import UILocale, resolve_locale
from app.search import SearchService


def get_session(request: Request) -> Iterator[Session]:
    with Session(request.app.state.engine) as session:
        yield session


def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_search(request: Request) -> SearchService:
    search: SearchService = request.app.state.search
    return search


def get_vocabulary(request: Request) -> Vocabulary:
    return load_vocabulary(request.app.state.settings.taxonomy_path)


SessionDep = Annotated[Session, Depends(get_session)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
VocabularyDep = Annotated[Vocabulary, Depends(get_vocabulary)]
LocaleDep = Annotated[UILocale, Depends(resolve_locale)]
SearchDep = Annotated[SearchService, Depends(get_search)]
