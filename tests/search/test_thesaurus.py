"""General Danish synonyms: a word no concept knows also finds offers that use its synonym."""

import importlib.util
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

from app.config import PROJECT_DIR, Settings
from app.search import SearchRequest, SearchService
from app.search.analysis import analyse
from app.search.thesaurus import Thesaurus, load_thesaurus

# The thesaurus the product ships, in the default catalogue folder.
THESAURUS = Settings(_env_file=None).thesaurus_path  # type: ignore[call-arg]

WHEELCHAIR = "cccccccc-0000-4000-8000-000000000001"
BIKES = "cccccccc-0000-4000-8000-000000000002"
EXTRA = f"""
offers:
  - id: {WHEELCHAIR}
    name: Lån en kørestol
    organization: testkommune
    description: Du kan låne en kørestol, mens du venter på din egen.
    tema: [sundhed]
    maalgruppe: [voksne]
  - id: {BIKES}
    name: Cykelværksted
    organization: testforening
    description: Vi reparerer cykler sammen hver tirsdag.
    tema: [kultur-fritid]
    maalgruppe: [alle]
"""


def term(word: str) -> str:
    (only,) = analyse(word)
    return only


@pytest.fixture
def search(search_with: Callable[[str], SearchService]) -> SearchService:
    return search_with(EXTRA)


@pytest.fixture
def no_thesaurus(search: SearchService) -> None:
    search.index.thesaurus = Thesaurus()


def synonyms(term: str, path: Path = THESAURUS) -> tuple[str, ...]:
    return load_thesaurus(path).synonyms(term)


def ids(service: SearchService, text: str) -> list[str]:
    return [hit.offer_id for hit in service.search(SearchRequest(text=text)).hits]


def test_the_committed_thesaurus_loads_and_knows_everyday_synonyms() -> None:
    assert len(load_thesaurus(THESAURUS)) > 10_000
    assert term("hjemløs") in synonyms(term("husvild"))
    assert term("kørestol") in synonyms(term("rullestol"))


def test_every_line_is_keyed_by_the_search_term_of_its_word() -> None:
    """Fails when the analysis changed and the file needs `make thesaurus` again."""
    stale = []
    for line in THESAURUS.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            key, word, _ = line.split("\t")
            if analyse(word) != [key]:
                stale.append(word)
    assert stale == []


def test_the_file_is_small() -> None:
    assert THESAURUS.stat().st_size < 1_000_000


def test_a_missing_file_means_no_synonyms(tmp_path: Path) -> None:
    assert len(load_thesaurus(tmp_path / "absent.tsv")) == 0
    assert synonyms("husvild", tmp_path / "absent.tsv") == ()


def test_synonyms_that_are_no_single_term_are_left_out(tmp_path: Path) -> None:
    path = tmp_path / "thesaurus.tsv"
    path.write_text(
        "# a comment\nhusvild\thusvild\thjemløs og af boligløs husvild\n", encoding="utf-8"
    )
    # "og" and "af" are stop words; the word itself is no synonym of itself.
    assert synonyms("husvild", path) == (term("hjemløs"), term("boligløs"))


def test_a_synonym_finds_an_offer_that_only_uses_the_synonym(search: SearchService) -> None:
    assert ids(search, "rullestol") == [WHEELCHAIR]
    assert ids(search, "Jeg skal bruge en rullestol") == [WHEELCHAIR]


@pytest.mark.usefixtures("no_thesaurus")
def test_without_the_thesaurus_that_offer_is_not_found(search: SearchService) -> None:
    assert ids(search, "rullestol") == []


def test_a_word_the_offer_uses_still_ranks_it_first(search: SearchService) -> None:
    assert ids(search, "kørestol")[0] == WHEELCHAIR


def test_a_word_without_an_entry_changes_nothing(search: SearchService) -> None:
    queries = ["cykel", "cykel om tirsdagen", "tirsdag"]
    assert all(synonyms(t) == () for text in queries for t in analyse(text))
    with_thesaurus = [search.search(SearchRequest(text=text)).hits for text in queries]
    search.index.thesaurus = Thesaurus()
    without = [search.search(SearchRequest(text=text)).hits for text in queries]
    assert with_thesaurus == without


# The build step, on a small thesaurus in the mythes format.
DAT = """\
UTF-8
husvild|2
|hjemløs|boligløs|uden tag over hovedet|Husvildhed
|posedame (underbegreb)
galde|1
|vrede|arrigskab
gæld|1
|skyld|restance
skat|3
|afgift
|favorit|yndling
|rigdom
narkoman|1
|stofmisbruger (vulgær)|junkie (daglig tale)
"""


@pytest.fixture(scope="module")
def builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "thesaurus_build", PROJECT_DIR / "scripts" / "build_thesaurus.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_build_keeps_plain_single_word_synonyms(builder: ModuleType, tmp_path: Path) -> None:
    dat = tmp_path / "th.dat"
    dat.write_text(DAT, encoding="utf-8")
    result = builder.build(dat)
    # Phrases, names, narrower words and vulgar ones go; usage notes are dropped.
    assert result["husvild"] == ["hjemløs", "boligløs"]
    assert result["narkoman"] == ["junkie"]
    # "gæld" and "galde" are one term to the search, and unrelated: neither is kept.
    assert "gæld" not in result and "galde" not in result
    # A word of three meanings is too ambiguous.
    assert "skat" not in result


def test_the_build_writes_a_file_the_search_reads(builder: ModuleType, tmp_path: Path) -> None:
    dat, out = tmp_path / "th.dat", tmp_path / "thesaurus.tsv"
    dat.write_text(DAT, encoding="utf-8")
    builder.write(builder.build(dat), out)
    assert synonyms(term("husvild"), out) == (term("hjemløs"), term("boligløs"))
