"""Tables the web layer keeps for itself."""

from sqlalchemy import BigInteger, Column
from sqlmodel import Field, SQLModel


# Requests counted per client and fixed time window, for the rate limits of public write
# endpoints; shared by every worker. The key is an HMAC of the limit's scope and the client's
# address, so no address is stored, and a row is deleted once its window (at most 59 minutes)
# has ended. The primary key starts with the window's end, so deleting old rows needs no index.
class RateLimit(SQLModel, table=True):
    expires_at: int = Field(
        sa_column=Column(BigInteger, primary_key=True, autoincrement=False)
    )  # unix seconds
    key: str = Field(primary_key=True, max_length=64)
    hits: int = Field(default=0)
