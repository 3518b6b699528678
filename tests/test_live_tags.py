"""The note-taker's page builds its row URLs and "Vem" options in Python (live_tags)."""

from types import SimpleNamespace

from django.urls import clear_script_prefix, reverse, set_script_prefix

from samtal.a3.templatetags.live_tags import live_url, who_options


def test_live_url_is_what_reverse_gives_for_every_row_and_prefix():
    for name, meeting_id, row_id in [
        ("a3_live:entry_move", 7, 1),
        ("a3_live:entry_move", 7, 987),
        ("a3_live:entry_move", 8, 987654321),
        ("a3_live:wish_action", 12, 3),
        ("a3_live:speaker", 12, None),
    ]:
        args = [meeting_id] if row_id is None else [meeting_id, row_id]
        assert live_url(name, meeting_id, row_id) == reverse(name, args=args)
    set_script_prefix("/kommun/")
    try:
        assert live_url("a3_live:entry_edit", 7, 5) == reverse("a3_live:entry_edit", args=[7, 5])
        assert live_url("a3_live:entry_edit", 7, 5).startswith("/kommun/samtal/7/")
    finally:
        clear_script_prefix()
    assert live_url("a3_live:entry_edit", 7, 5).startswith("/samtal/")


def person(pk, name):
    return SimpleNamespace(pk=pk, person=SimpleNamespace(name=name))


def test_who_options_escape_names_and_mark_the_chosen_one():
    html = who_options([person(1, "Åsa <b>Ek</b>"), person(2, 'Per "P" Holm')], 2)
    assert html.startswith('<option value="">– ingen särskild –</option>')
    assert '<option value="1">Åsa &lt;b&gt;Ek&lt;/b&gt;</option>' in html
    assert '<option value="2" selected>Per &quot;P&quot; Holm</option>' in html
    assert "selected" not in who_options([person(1, "Åsa Ek")], None)
