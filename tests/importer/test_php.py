"""bbPress's PHP-serialised meta values, read as data and never as anything more."""

import pytest

from importer.php import NotSerialized, php_unserialize


def test_sticky_topics_are_a_list_of_ids():
    assert php_unserialize("a:2:{i:0;i:12;i:1;i:40;}") == {0: 12, 1: 40}


def test_a_revision_log_maps_revisions_to_author_and_reason():
    log = 'a:1:{i:25;a:2:{s:6:"author";i:7;s:6:"reason";s:5:"typo!";}}'
    assert php_unserialize(log) == {25: {"author": 7, "reason": "typo!"}}


def test_string_lengths_count_bytes():
    assert php_unserialize('s:5:"café";') == "café"
    assert php_unserialize('a:1:{s:1:"k";s:6:"a;b:}c";}') == {"k": "a;b:}c"}


@pytest.mark.parametrize(
    ("text", "value"),
    [("N;", None), ("b:1;", True), ("b:0;", False), ("i:-3;", -3), ("d:1.5;", 1.5)],
)
def test_scalars(text, value):
    assert php_unserialize(text) == value


@pytest.mark.parametrize(
    "text",
    [
        'O:8:"stdClass":0:{}',  # an object: never made
        'C:3:"Foo":0:{}',
        "a:1:{i:0;R:1;}",  # a reference
        's:10:"short";',
        "a:2:{i:0;i:1;}",
        "i:12",
        "i:12;trailing",
        "a:1:{a:0:{}i:1;}",  # an array as a key
        "",
        "a:1:{i:0;" * 40 + "i:1;" + "}" * 40,  # nested past the limit
    ],
)
def test_objects_references_and_malformed_values_are_refused(text):
    with pytest.raises(NotSerialized):
        php_unserialize(text)
