"""The cancelling concepts (lexicons/denials, lexicons/media, lexicons/fakes) reach the exports: the
rules formats carry their words as exclusions, as the matcher applies them, except the words that
have exclusions of their own; list formats keep the terms."""

from __future__ import annotations

from functools import cache

from wildcli.exporters import ExportFormat, RenderOptions
from wildcli.exporters.selection import ExportOptions, render_export, select_items
from wildcli.lexicon import Lexicon, load_lexicon
from wildcli.simulation import load_applier

KEY = b"cancelling-test-key"


@cache
def bundled() -> Lexicon:
    return load_lexicon()


def item(text: str):  # type: ignore[no-untyped-def]
    return next(i for i in select_items(bundled(), ExportOptions()).items if i.text == text)


def test_a_rule_excludes_the_media_words_and_the_denials_of_its_language() -> None:
    ngà_voi = item("ngà voi")
    assert "tạp chí" in ngà_voi.rule_exclude
    assert "không phải ngà voi" in ngà_voi.rule_exclude
    # Not the words of another language, and not among the term's own exclusions, which decide
    # whether a list format can carry the term.
    assert "magazine" not in ngà_voi.rule_exclude
    assert not set(ngà_voi.cancel) & set(ngà_voi.exclude)


def test_a_standard_form_carries_the_denial_written_before_itself() -> None:
    # "not rhino horn" does not stand as a phrase in "not rhino horns": the plural's rule needs
    # the denial glued to the plural, as the matcher reads a denial right before the words.
    plural = item("rhino horns")
    assert plural.rule == "plural"
    assert "not rhino horns" in plural.rule_exclude
    assert "not rhino horn" not in plural.rule_exclude
    assert "not rhino horn" in item("rhino horn").rule_exclude


def test_list_formats_keep_the_terms_they_kept() -> None:
    txt = render_export(bundled(), ExportFormat("txt"), ExportOptions())
    blocked = {line for part in txt.parts if part.role == "block" for line in part.text.split("\n")}
    assert {"ngà voi", "gading gajah", "象牙製品"} <= blocked


def test_the_json_rules_spare_what_wildcli_spares() -> None:
    result = render_export(
        bundled(), ExportFormat("json"), ExportOptions(render=RenderOptions(hmac_key=KEY))
    )
    applier = load_applier(result, KEY)
    assert applier.apply("Vòng tay ngà voi thật").action.value == "block"
    assert applier.apply("Tạp chí môi trường, số về ngà voi").action.value == "allow"
    assert applier.apply("Vòng nhựa, không phải ngà voi").action.value == "allow"


def test_a_cancelling_word_with_exclusions_of_its_own_is_not_carried() -> None:
    # 'giả' (fake) right after a product name cancels it, but not in 'giả đền' (if fake, refunded),
    # a real offer's promise: an exclusion "ngà voi giả" would spare that offer too.
    lexicon = bundled()
    gia = next(t for t in lexicon.terms if t.concept == "fakes" and t.term == "giả")
    assert gia.exclude
    assert not any("giả" in phrase for phrase in item("ngà voi").rule_exclude)
    result = render_export(lexicon, ExportFormat("json"), ExportOptions(render=RenderOptions(hmac_key=KEY)))
    applier = load_applier(result, KEY)
    assert applier.apply("Vòng ngà voi giả đền 10 lần").action.value == "block"
    # A cancelling word without exclusions is still carried.
    assert "không phải ngà voi" in item("ngà voi").rule_exclude


def test_an_exclusion_word_with_exclusions_of_its_own_is_not_carried() -> None:
    # As wildcli reads it, 'sunglasses' given an exclusion of its own stands down where that
    # exclusion stands: a rule cannot say so, and leaves the word out of its exclusions.
    from dataclasses import replace

    lexicon = bundled()
    tortoiseshell = next(
        i for i in select_items(lexicon, ExportOptions(include_contextual=True)).items if i.text == "tortoiseshell"
    )
    assert "sunglasses" in tortoiseshell.rule_exclude
    terms = tuple(
        replace(t, exclude=("victorian",)) if t.concept == "everyday_goods" and t.term == "sunglasses" else t
        for t in lexicon.terms
    )
    changed = replace(lexicon, terms=terms, digest=f"{lexicon.digest}+sunglasses")
    item = next(
        i for i in select_items(changed, ExportOptions(include_contextual=True)).items if i.text == "tortoiseshell"
    )
    assert "sunglasses" not in item.rule_exclude


def test_words_that_cancel_in_queries_only_are_not_carried_and_the_export_says_so() -> None:
    # A rule judges listings and queries alike, and in a listing "写真" is the seller's photos.
    assert "写真" not in item("象牙").rule_exclude
    assert "写真" not in item("象牙").cancel
    result = render_export(
        bundled(), ExportFormat("json"), ExportOptions(render=RenderOptions(hmac_key=KEY))
    )
    assert any("leave a search query alone" in note for note in result.notes)
    assert load_applier(result, KEY).apply("象牙 写真").action.value != "allow"
