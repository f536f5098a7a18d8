"""Reading a WordPress export: the records as bbPress wrote them, one at a time, and a clear
refusal (naming the line) of what is not a well-formed, harmless export."""

import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

import pytest

from importer.wxr import Author, Item, Term, WxrError, read_wxr

SMALL = Path(__file__).parent / "fixtures" / "small.xml"


def items(path) -> list[Item]:
    return [record for record in read_wxr(path) if isinstance(record, Item)]


def test_authors_and_terms_come_first_as_written():
    records = list(read_wxr(SMALL))
    authors = [record for record in records if isinstance(record, Author)]
    assert [(a.author_id, a.login, a.email, a.display_name) for a in authors] == [
        (1, "admin", "admin@lifting.example", "The Admin"),
        (7, "alice", "alice@example.com", "Alice Liddell"),
    ]
    (term,) = [record for record in records if isinstance(record, Term)]
    assert (term.term_id, term.taxonomy, term.slug, term.name) == (
        31,
        "topic-tag",
        "squats",
        "Squats",
    )


def test_items_keep_their_ids_dates_slugs_statuses_parents_and_lines():
    found = {item.post_id: item for item in items(SMALL)}
    assert sorted(found) == [5, 10, 11, 20, 21, 22]
    topic = found[20]
    assert (topic.post_type, topic.status, topic.parent_id, topic.slug) == (
        "topic", "publish", 11, "how-deep-should-a-squat-go",
    )  # fmt: skip
    assert topic.created_at == datetime(2023, 3, 4, 8, 30, tzinfo=UTC)
    assert topic.modified_at == datetime(2023, 3, 5, 9, 0, tzinfo=UTC)
    assert topic.creator == "alice"
    assert topic.title == "How deep should a squat go?"
    assert topic.content.startswith("<p>Below <strong>parallel</strong>?</p>")
    assert topic.tags == [("squats", "Squats")]
    assert SMALL.read_text().splitlines()[topic.line - 1].strip() == "<item>"
    # As WordPress stored it (titles HTML-escaped): the importer unescapes, not the reader.
    assert found[11].title == "Squats &amp; Deadlifts"


def test_post_meta_rows_are_kept_in_order_with_repeats():
    topic = next(item for item in items(SMALL) if item.post_id == 20)
    assert topic.meta_value("_bbp_author_ip") == "203.0.113.5"
    assert topic.meta_values("_bbp_subscription") == ["1", "7"]
    assert topic.meta_values("_bbp_favorite") == ["1"]
    assert topic.meta_value("_bbp_revision_log").startswith("a:1:{i:25;")


def test_a_guests_post_has_no_creator_and_keeps_its_name():
    guest = next(item for item in items(SMALL) if item.post_id == 21)
    assert guest.creator == ""
    assert guest.meta_value("_bbp_anonymous_name") == "A passer-by"


def test_a_draft_without_a_gmt_date_takes_its_local_date():
    page = next(item for item in items(SMALL) if item.post_id == 5)
    assert page.post_type == "page"
    assert page.created_at == datetime(2022, 12, 31, 12, 0, tzinfo=UTC)


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<rss><channel><title>&lol2;</title></channel></rss>
"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss><channel><title>&secret;</title></channel></rss>
"""


@pytest.mark.parametrize("attack", [BILLION_LAUGHS, EXTERNAL_ENTITY])
def test_entity_expansion_and_external_entities_are_refused(tmp_path, attack):
    path = tmp_path / "attack.xml"
    path.write_text(attack)
    with pytest.raises(WxrError, match="refused") as refused:
        list(read_wxr(path))
    assert refused.value.line == 2  # the document type declaration


def test_a_file_that_is_not_well_formed_names_the_line(tmp_path):
    lines = SMALL.read_text().splitlines()
    broken = next(number for number, line in enumerate(lines) if "<wp:post_id>21<" in line)
    lines[broken] = lines[broken].replace("</wp:post_id>", "</wp:post_idx>")
    path = tmp_path / "broken.xml"
    path.write_text("\n".join(lines))
    with pytest.raises(WxrError, match="not well-formed") as error:
        list(read_wxr(path))
    assert error.value.line == broken + 1


def test_an_item_without_an_id_names_its_line(tmp_path):
    text = SMALL.read_text().replace("<wp:post_id>22</wp:post_id>", "")
    path = tmp_path / "no-id.xml"
    path.write_text(text)
    line = (
        next(
            number
            for number, content in enumerate(text.splitlines(), start=1)
            if "Cheap pills" in content
        )
        - 1
    )  # its <item> is the line above its title
    with pytest.raises(WxrError, match="without wp:post_id") as error:
        list(read_wxr(path))
    assert error.value.line == line


def test_a_file_that_is_not_an_export_is_refused(tmp_path):
    path = tmp_path / "feed.xml"
    path.write_text("<html><body>Not an export</body></html>")
    with pytest.raises(WxrError, match="not a WordPress export"):
        list(read_wxr(path))


def write_export(path: Path, replies: int) -> None:
    with path.open("w") as out:
        out.write(SMALL.read_text().split("</channel>")[0])
        for number in range(replies):
            out.write(
                f"<item><title>Reply {number}</title><dc:creator>alice</dc:creator>"
                f"<content:encoded><![CDATA[{'Text. ' * 50}]]></content:encoded>"
                f"<wp:post_id>{1000 + number}</wp:post_id>"
                "<wp:post_date_gmt>2023-03-04 10:00:00</wp:post_date_gmt>"
                "<wp:status>publish</wp:status><wp:post_parent>20</wp:post_parent>"
                "<wp:post_type>reply</wp:post_type></item>\n"
            )
        out.write("</channel></rss>\n")


def peak_memory_reading(path: Path) -> tuple[int, int]:
    tracemalloc.start()
    count = sum(1 for _ in read_wxr(path))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return count, peak


def test_reading_streams_in_memory_that_does_not_grow_with_the_file(tmp_path):
    small, large = tmp_path / "small.xml", tmp_path / "large.xml"
    write_export(small, 1_000)
    write_export(large, 20_000)
    small_count, small_peak = peak_memory_reading(small)
    large_count, large_peak = peak_memory_reading(large)
    assert large_count - small_count == 19_000
    assert large_peak < small_peak * 1.5  # twenty times the file, not twenty times the memory


def test_the_generated_large_export_reads_back_whole(tmp_path):
    from bench.wxr_generate import generate

    path = tmp_path / "generated.xml"
    with path.open("w") as out:
        generate(out, replies=500, topics=20, members=30, forums=3, seed=1)
    records = list(read_wxr(path))
    found = [record for record in records if isinstance(record, Item)]
    assert sum(1 for r in records if isinstance(r, Author)) == 30
    assert [item.post_type for item in found].count("reply") == 500
    assert [item.post_type for item in found].count("topic") == 20
    assert [item.post_type for item in found].count("forum") == 4  # a category and 3 forums
    topic = next(item for item in found if item.post_type == "topic")
    assert len(topic.meta_values("_bbp_subscription")) == 3 and len(topic.tags) == 2
