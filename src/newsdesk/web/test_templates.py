"""Templates' helpers as pages print them: translations, page data's fields, exact times."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone


def test_page_templates_read_dict_keys_then_attributes() -> None:
    from types import SimpleNamespace

    import jinja2

    from newsdesk.web.app import PageEnvironment

    env = PageEnvironment(loader=jinja2.DictLoader({}), autoescape=True)
    page = env.from_string(
        "{{ a.title }}|{{ o.title }}|{% for k, v in d.items() %}{{ k }}={{ v }}{% endfor %}|{{ a.none }}"
    )
    data = {"a": {"title": "<b>x</b>"}, "o": SimpleNamespace(title="y"), "d": {"k": 1}}
    assert page.render(**data) == "&lt;b&gt;x&lt;/b&gt;|y|k=1|"


def test_exact_times_read_to_the_minute_in_the_readers_language() -> None:
    from newsdesk.web.timefmt import exact_time

    when = datetime(2026, 12, 3, 20, 2, 33, tzinfo=timezone(timedelta(hours=1)))
    assert exact_time(when, "en") == "Dec 3, 2026, 7:02\u202fPM UTC"  # CLDR: a narrow space before PM
    assert exact_time(when, "de") == "03.12.2026, 19:02 UTC"
    assert exact_time(when, "es") == "3 dic 2026, 19:02 UTC"


def test_templates_translate_escape_and_format_as_new_style_gettext_does() -> None:
    from jinja2 import Environment

    from newsdesk.web.i18n import current_language, gettext, ngettext, page_gettext

    env = Environment(autoescape=True, extensions=["jinja2.ext.i18n"])
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(gettext=page_gettext, _=page_gettext)
    page = env.from_string('{{ _("Search") }}|{{ _("Follow %(source)s", source=s) }}|{{ _("100%% sure") }}')
    token = current_language.set("de")
    try:
        assert page.render(s="<b>Nord</b>") == "Suche|&lt;b&gt;Nord&lt;/b&gt; folgen|100% sure"
    finally:
        current_language.reset(token)
