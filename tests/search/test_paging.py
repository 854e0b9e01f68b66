"""Pages of one search fit together: no offer twice, none skipped, even when scores tie."""

from collections.abc import Callable

from app.search import SearchRequest, SearchService

# 150 offers that match "kaffe" equally well: every score ties.
EXTRA = "offers:\n" + "".join(
    f"""  - id: dddddddd-0000-4000-8000-{n:012d}
    name: Kaffeklub {n}
    organization: testforening
    description: Vi drikker kaffe sammen.
    tema: [faellesskab]
    maalgruppe: [alle]
"""
    for n in range(150)
)


def test_pages_follow_one_order(search_with: Callable[[str], SearchService]) -> None:
    search = search_with(EXTRA)
    everything = [
        hit.offer_id for hit in search.search(SearchRequest(text="kaffe", limit=None)).hits
    ]
    assert len(everything) >= 150
    paged: list[str] = []
    for offset in range(0, len(everything), 20):
        page = search.search(SearchRequest(text="kaffe", offset=offset, limit=20))
        paged += [hit.offer_id for hit in page.hits]
    assert paged == everything
