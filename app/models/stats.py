"""Tables of the municipality's statistics."""

from datetime import date

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


# What people searched for, counted per day: no person, address or cookie is kept. Texts seen
# fewer than three times on a day are folded into the day's "" row once the day is over.
class SearchStat(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("day", "text"),)

    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(index=True)
    text: str = Field(default="", max_length=200)
    searches: int = Field(default=0)
    zero_hits: int = Field(default=0)
    results: int = Field(default=0)
