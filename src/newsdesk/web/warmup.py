"""Make a new web process ready before its first page: templates compiled, languages' data loaded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.templating import Jinja2Templates

from newsdesk.web.i18n import LANGUAGES, translations
from newsdesk.web.timefmt import exact_time, relative_time


def warm_up(templates: Jinja2Templates) -> int:
    """Compile every template and load each language's translations and date formats (the first article
    page of a new process took 0.37 s and the first front page 0.6 s, most of it compiling); templates
    compiled."""
    names = templates.env.list_templates(extensions=["html", "xml"])
    for name in names:
        templates.env.get_template(name)
    now = datetime.now(UTC)
    for language in LANGUAGES:
        translations(language)
        relative_time(now - timedelta(hours=3), now, language)
        exact_time(now, language)
    return len(names)
