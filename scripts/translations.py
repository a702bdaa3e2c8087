"""Write the de and es UI catalogues of the reader site from messages.pot and the table below.

Run after `pybabel extract -F babel.cfg -k _ -k gettext -k ngettext:1,2 -o src/newsdesk/web/locale/messages.pot
--no-location --omit-header .`; a message missing from the table fails the script, so nothing ships untranslated.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

LOCALE = Path(__file__).resolve().parents[1] / "src" / "newsdesk" / "web" / "locale"
CATEGORY_NAMES = [
    "World",
    "Politics",
    "Business",
    "Technology",
    "Science",
    "Health",
    "Sports",
    "Entertainment",
    "General",
]
TABLE: dict[str, tuple[str | tuple[str, str], str | tuple[str, str]]] = {
    "Developing": ("Entwickelt sich", "En desarrollo"),
    "reports are still coming in": ("es kommen weiter Berichte", "siguen llegando noticias"),
    "Figures over time": ("Zahlen im Verlauf", "Cifras a lo largo del tiempo"),
    "New figures:": ("Neue Zahlen:", "Cifras nuevas:"),
    "New names:": ("Neue Namen:", "Nombres nuevos:"),
    " and ": (" und ", " y "),
    "%(latest)s %(what)s, up from %(earlier)s in earlier reports": (
        "%(latest)s %(what)s, zuvor %(earlier)s in früheren Berichten",
        "%(latest)s %(what)s, frente a %(earlier)s en informaciones anteriores",
    ),
    "%(latest)s %(what)s, down from %(earlier)s in earlier reports": (
        "%(latest)s %(what)s, zuvor %(earlier)s in früheren Berichten",
        "%(latest)s %(what)s, frente a %(earlier)s en informaciones anteriores",
    ),
    "just now": ("gerade eben", "ahora mismo"),
    "Account": ("Konto", "Cuenta"),
    "What you follow": ("Was Sie verfolgen", "Lo que usted sigue"),
    "Story": ("Thema", "Historia"),
    "Hashtag": ("Schlagwort", "Etiqueta"),
    "%(num)d new report since your last visit": (
        (
            "%(num)d neue Meldung seit Ihrem letzten Besuch",
            "%(num)d neue Meldungen seit Ihrem letzten Besuch",
        ),
        ("%(num)d noticia nueva desde su última visita", "%(num)d noticias nuevas desde su última visita"),
    ),
    "Nothing new since your last visit": (
        "Nichts Neues seit Ihrem letzten Besuch",
        "Nada nuevo desde su última visita",
    ),
    "Last report": ("Letzte Meldung", "Última noticia"),
    "You follow nothing yet. Follow a story, a source, a category or a hashtag from its page; what is new in it "
    "shows here.": (
        "Sie verfolgen noch nichts. Verfolgen Sie ein Thema, eine Quelle, eine Rubrik oder einen Hashtag auf "
        "dessen Seite; Neues daraus erscheint hier.",
        "Aún no sigue nada. Siga una historia, una fuente, una categoría o una etiqueta desde su página; "
        "lo nuevo aparecerá aquí.",
    ),
    "Latest from what you follow": ("Neues aus dem, was Sie verfolgen", "Lo último de lo que sigue"),
    "Front page": ("Startseite", "Portada"),
    "This page has not been saved for offline reading.": (
        "Diese Seite wurde nicht für das Lesen ohne Verbindung gespeichert.",
        "Esta página no se ha guardado para leerla sin conexión.",
    ),
    "Saved on this device, readable now:": (
        "Auf diesem Gerät gespeichert und jetzt lesbar:",
        "Guardado en este dispositivo, se puede leer ahora:",
    ),
    "Front page and stories": ("Startseite und Themen", "Portada e historias"),
    "Articles": ("Artikel", "Artículos"),
    "Nothing is saved on this device yet: the front page, and the stories and articles you open while online, "
    "are kept for reading offline.": (
        "Auf diesem Gerät ist noch nichts gespeichert: Die Startseite und die Themen und Artikel, die Sie online "
        "öffnen, werden für das Lesen ohne Verbindung aufbewahrt.",
        "Aún no hay nada guardado en este dispositivo: la portada y las historias y artículos que abra con "
        "conexión se guardan para leerlos sin ella.",
    ),
    "By %(names)s": ("Von %(names)s", "Por %(names)s"),
    "Updated": ("Aktualisiert", "Actualizado"),
    "%(num)d min read": (
        ("%(num)d Min. Lesezeit", "%(num)d Min. Lesezeit"),
        ("%(num)d min de lectura", "%(num)d min de lectura"),
    ),
    "Link copied": ("Link kopiert", "Enlace copiado"),
    "Copy link": ("Link kopieren", "Copiar enlace"),
    "Read the original at %(source)s": ("Original bei %(source)s lesen", "Leer el original en %(source)s"),
    "Skip to content": ("Zum Inhalt springen", "Saltar al contenido"),
    "global content with local flavor": (
        "globale Nachrichten mit lokalem Blick",
        "noticias globales con sabor local",
    ),
    "Search the news": ("Nachrichten durchsuchen", "Buscar noticias"),
    "Search": ("Suche", "Buscar"),
    "Switch between light and dark": ("Zwischen hell und dunkel wechseln", "Cambiar entre claro y oscuro"),
    "Theme": ("Farbschema", "Tema"),
    "Language": ("Sprache", "Idioma"),
    "Categories": ("Rubriken", "Secciones"),
    "Top": ("Start", "Portada"),
    "newsdesk — a self-hosted news aggregator. Articles belong to their publishers; follow the links to read "
    "them at the source.": (
        "newsdesk – ein selbst betriebener Nachrichtenaggregator. Die Artikel gehören ihren Verlagen; "
        "folgen Sie den Links, um sie an der Quelle zu lesen.",
        "newsdesk: un agregador de noticias autoalojado. Los artículos pertenecen a sus editores; "
        "siga los enlaces para leerlos en su origen.",
    ),
    "Not found": ("Nicht gefunden", "No encontrado"),
    "Something went wrong (%(status)s)": (
        "Etwas ist schiefgegangen (%(status)s)",
        "Algo salió mal (%(status)s)",
    ),
    "Back to the latest news": ("Zurück zu den neuesten Nachrichten", "Volver a las últimas noticias"),
    "Latest news": ("Neueste Nachrichten", "Últimas noticias"),
    "No articles yet. Add a source with newsdesk add-source URL; new articles appear here as they are polled.": (
        "Noch keine Artikel. Fügen Sie mit newsdesk add-source URL eine Quelle hinzu; neue Artikel erscheinen "
        "hier, sobald sie abgerufen werden.",
        "Todavía no hay artículos. Añada una fuente con newsdesk add-source URL; los artículos nuevos aparecen "
        "aquí a medida que se consultan.",
    ),
    "Older articles": ("Ältere Artikel", "Artículos anteriores"),
    "Sources": ("Quellen", "Fuentes"),
    "%(num)d article in the last 24 hours": (
        ("%(num)d Artikel in den letzten 24 Stunden", "%(num)d Artikel in den letzten 24 Stunden"),
        ("%(num)d artículo en las últimas 24 horas", "%(num)d artículos en las últimas 24 horas"),
    ),
    "No articles here yet.": ("Hier gibt es noch keine Artikel.", "Aquí todavía no hay artículos."),
    "Offline": ("Offline", "Sin conexión"),
    "You are offline": ("Sie sind offline", "No tiene conexión"),
    "Back to the front page": ("Zurück zur Startseite", "Volver a la portada"),
    "Results for “%(query)s”": ("Ergebnisse für „%(query)s“", "Resultados para «%(query)s»"),
    "Words": ("Wörter", "Palabras"),
    "Category": ("Rubrik", "Sección"),
    "Any": ("Alle", "Todas"),
    "Source": ("Quelle", "Fuente"),
    "From": ("Von", "Desde"),
    "To": ("Bis", "Hasta"),
    "%(num)d story": (("%(num)d Meldung", "%(num)d Meldungen"), ("%(num)d historia", "%(num)d historias")),
    "and %(num)d more report": (
        ("und %(num)d weiterer Bericht", "und %(num)d weitere Berichte"),
        ("y %(num)d noticia más", "y %(num)d noticias más"),
    ),
    "in %(num)d language": (
        ("in %(num)d Sprache", "in %(num)d Sprachen"),
        ("en %(num)d idioma", "en %(num)d idiomas"),
    ),
    "No report matches “%(query)s”.": (
        "Kein Bericht passt zu „%(query)s“.",
        "Ninguna noticia coincide con «%(query)s».",
    ),
    "Result pages": ("Ergebnisseiten", "Páginas de resultados"),
    "Previous": ("Zurück", "Anterior"),
    "Page %(page)d of %(pages)d": ("Seite %(page)d von %(pages)d", "Página %(page)d de %(pages)d"),
    "Next": ("Weiter", "Siguiente"),
    "Log in": ("Anmelden", "Iniciar sesión"),
    "Create an account": ("Konto anlegen", "Crear una cuenta"),
    "That username and password do not match.": (
        "Benutzername und Passwort passen nicht zusammen.",
        "El usuario y la contraseña no coinciden.",
    ),
    "Too many attempts; wait a little and try again.": (
        "Zu viele Versuche; warten Sie kurz und versuchen Sie es erneut.",
        "Demasiados intentos; espere un poco y vuelva a intentarlo.",
    ),
    "Username": ("Benutzername", "Usuario"),
    "Password": ("Passwort", "Contraseña"),
    "Moderation": ("Moderation", "Moderación"),
    "Show": ("Zeigen", "Mostrar"),
    "Hide": ("Verbergen", "Ocultar"),
    "No comments yet.": ("Noch keine Kommentare.", "Todavía no hay comentarios."),
    "Admin": ("Verwaltung", "Administración"),
    "Export OPML": ("OPML exportieren", "Exportar OPML"),
    "Feed or site URL": ("Feed- oder Website-Adresse", "Dirección del feed o del sitio"),
    "Add source": ("Quelle hinzufügen", "Añadir fuente"),
    "OPML file": ("OPML-Datei", "Archivo OPML"),
    "Import OPML": ("OPML importieren", "Importar OPML"),
    "Status": ("Status", "Estado"),
    "Last 24 hours": ("Letzte 24 Stunden", "Últimas 24 horas"),
    "Last error": ("Letzter Fehler", "Último error"),
    "Enable": ("Aktivieren", "Activar"),
    "Disable": ("Deaktivieren", "Desactivar"),
    "Bookmarked": ("Gemerkt", "Guardado"),
    "Bookmark": ("Merken", "Guardar"),
    "Unfollow %(source)s": ("%(source)s nicht mehr folgen", "Dejar de seguir a %(source)s"),
    "Follow %(source)s": ("%(source)s folgen", "Seguir a %(source)s"),
    "this story": ("dieser Meldung", "esta noticia"),
    "You follow this": ("Sie folgen dem", "Lo sigue"),
    "Re-ingest": ("Neu einlesen", "Volver a importar"),
    "Comments": ("Kommentare", "Comentarios"),
    "Your comment": ("Ihr Kommentar", "Su comentario"),
    "Post comment": ("Kommentar senden", "Publicar comentario"),
    "Log in to comment": ("Zum Kommentieren anmelden", "Inicie sesión para comentar"),
    "Your account": ("Ihr Konto", "Su cuenta"),
    "Following": ("Gefolgt", "Siguiendo"),
    "Bookmarks": ("Merkliste", "Guardados"),
    "Log out": ("Abmelden", "Cerrar sesión"),
    "%(name)s edition": ("Ausgabe %(name)s", "Edición %(name)s"),
    "Editions": ("Ausgaben", "Ediciones"),
    "Global": ("Weltweit", "Global"),
    "Wire copy of": ("Agenturtext von", "Texto de agencia de"),
    "Also published by": ("Auch veröffentlicht von", "También publicado por"),
    "Also covered by": ("Auch berichtet von", "También informan"),
    "The whole story": ("Die ganze Geschichte", "La historia completa"),
    "Related articles": ("Verwandte Artikel", "Artículos relacionados"),
    "Top stories": ("Top-Themen", "Temas principales"),
    "%(num)d source": (("%(num)d Quelle", "%(num)d Quellen"), ("%(num)d fuente", "%(num)d fuentes")),
    "Latest news with #%(tag)s": ("Neueste Nachrichten mit #%(tag)s", "Últimas noticias con #%(tag)s"),
    "%(num)d report": (("%(num)d Bericht", "%(num)d Berichte"), ("%(num)d noticia", "%(num)d noticias")),
    "First reported": ("Zuerst berichtet", "Primera noticia"),
    "latest": ("zuletzt", "última"),
    "Summary from all sources": ("Zusammenfassung aus allen Quellen", "Resumen de todas las fuentes"),
    "How the story developed": ("Wie sich die Geschichte entwickelt hat", "Cómo se desarrolló la historia"),
    "wire copy": ("Agenturtext", "texto de agencia"),
    "From these reports": ("Aus diesen Berichten", "De estas noticias"),
    "Ask a question about the news": (
        "Eine Frage zu den Nachrichten stellen",
        "Haga una pregunta sobre las noticias",
    ),
    "In brief": ("Kurz gefasst", "En breve"),
    "The stored articles do not answer that question.": (
        "Die gespeicherten Artikel beantworten diese Frage nicht.",
        "Los artículos guardados no responden a esa pregunta.",
    ),
    "Ask": ("Fragen", "Preguntar"),
    "Ask the news": ("Die Nachrichten fragen", "Pregunte a las noticias"),
    "e.g. How many people were evacuated?": (
        "z. B. Wie viele Menschen wurden evakuiert?",
        "p. ej., ¿Cuántas personas fueron evacuadas?",
    ),
    "Key facts": ("Wichtige Zahlen", "Datos clave"),
    "Where the sources differ": ("Wo die Quellen abweichen", "Dónde difieren las fuentes"),
    "changed as the story developed": (
        "änderte sich im Lauf der Berichterstattung",
        "cambió a medida que avanzaba la noticia",
    ),
    "Daily briefing": ("Tagesüberblick", "Resumen del día"),
    "Briefing": ("Überblick", "Resumen"),
    "No stories were reported on this day.": (
        "An diesem Tag wurde über keine Geschichten berichtet.",
        "Ese día no se informó de ninguna historia.",
    ),
    "Thank you: your first comment is shown once a moderator has read it.": (
        "Danke: Ihr erster Kommentar erscheint, sobald ihn die Moderation gelesen hat.",
        "Gracias: su primer comentario aparecerá cuando la moderación lo haya leído.",
    ),
    "Comment pages": ("Kommentarseiten", "Páginas de comentarios"),
    "This account has been suspended by the moderators.": (
        "Dieses Konto wurde von der Moderation gesperrt.",
        "La moderación ha suspendido esta cuenta.",
    ),
    "Your password was changed; every other browser has been logged out.": (
        "Ihr Passwort wurde geändert; alle anderen Browser wurden abgemeldet.",
        "Se cambió su contraseña; se cerró la sesión en todos los demás navegadores.",
    ),
    "That password is not right.": ("Dieses Passwort stimmt nicht.", "Esa contraseña no es correcta."),
    "Change your password": ("Passwort ändern", "Cambiar la contraseña"),
    "Current password": ("Aktuelles Passwort", "Contraseña actual"),
    "New password": ("Neues Passwort", "Contraseña nueva"),
    "Change password": ("Passwort ändern", "Cambiar contraseña"),
    "Delete your account": ("Konto löschen", "Eliminar su cuenta"),
    "Your comments, bookmarks and follows are deleted with it.": (
        "Ihre Kommentare, Merkliste und gefolgten Themen werden mit gelöscht.",
        "Sus comentarios, guardados y seguimientos se eliminan con ella.",
    ),
    "Delete account": ("Konto löschen", "Eliminar cuenta"),
    "Show comments": ("Kommentare zeigen", "Mostrar comentarios"),
    "All": ("Alle", "Todos"),
    "Held": ("Zurückgehalten", "Retenidos"),
    "Shown": ("Sichtbar", "Visibles"),
    "Hidden": ("Verborgen", "Ocultos"),
    "Hide selected": ("Auswahl verbergen", "Ocultar selección"),
    "Show selected": ("Auswahl zeigen", "Mostrar selección"),
    "banned": ("gesperrt", "suspendido"),
    "Lift ban on %(name)s": ("Sperre von %(name)s aufheben", "Levantar la suspensión de %(name)s"),
    "Ban %(name)s": ("%(name)s sperren", "Suspender a %(name)s"),
    "Ask a question about this story": (
        "Eine Frage zu dieser Geschichte stellen",
        "Haga una pregunta sobre esta noticia",
    ),
    "Asked about the story %(title)s first.": (
        "Zuerst zur Geschichte „%(title)s“ gefragt.",
        "Primero se preguntó sobre la noticia «%(title)s».",
    ),
    "Ask all the news instead": ("Stattdessen alle Nachrichten fragen", "Preguntar a todas las noticias"),
    "Earlier reports said": ("Frühere Berichte nannten", "Noticias anteriores decían"),
    "We could not find that page.": ("Diese Seite haben wir nicht gefunden.", "No encontramos esa página."),
    "This list's page link is not valid; start again from its first page.": (
        "Dieser Seitenlink der Liste ist ungültig; beginnen Sie wieder auf ihrer ersten Seite.",
        "El enlace a esta página de la lista no es válido; vuelva a empezar desde la primera página.",
    ),
    "This address has a value that is not valid: %(names)s": (
        "Diese Adresse enthält einen ungültigen Wert: %(names)s",
        "Esta dirección tiene un valor que no es válido: %(names)s",
    ),
    "World": ("Welt", "Mundo"),
    "Politics": ("Politik", "Política"),
    "Business": ("Wirtschaft", "Economía"),
    "Technology": ("Technik", "Tecnología"),
    "Science": ("Wissenschaft", "Ciencia"),
    "Health": ("Gesundheit", "Salud"),
    "Sports": ("Sport", "Deportes"),
    "Entertainment": ("Kultur", "Cultura"),
    "General": ("Allgemein", "General"),
    "Unread": ("Ungelesen", "No leído"),
    "Mark as read": ("Als gelesen markieren", "Marcar como leído"),
    "Mark as unread": ("Als ungelesen markieren", "Marcar como no leído"),
    "Reader apps": ("Feedreader-Apps", "Apps de lectura"),
    "Apps that speak the Google Reader API (NetNewsWire, Reeder, Read You, FeedMe, newsboat) or the Fever API "
    "sync with newsdesk. Give them your user name and an app password made here, never your log-in password.": (
        "Apps, die die Google-Reader-API (NetNewsWire, Reeder, Read You, FeedMe, newsboat) oder die Fever-API "
        "sprechen, synchronisieren sich mit newsdesk. Gib ihnen deinen Benutzernamen und ein hier erstelltes "
        "App-Passwort, nie dein Anmeldepasswort.",
        "Las apps que hablan la API de Google Reader (NetNewsWire, Reeder, Read You, FeedMe, newsboat) o la API "
        "de Fever se sincronizan con newsdesk. Dales tu nombre de usuario y una contraseña de app creada aquí, "
        "nunca tu contraseña de inicio de sesión.",
    ),
    "Server (Google Reader API)": ("Server (Google-Reader-API)", "Servidor (API de Google Reader)"),
    "Server (Fever API)": ("Server (Fever-API)", "Servidor (API de Fever)"),
    "User name": ("Benutzername", "Nombre de usuario"),
    "Your new app password (shown only now):": (
        "Dein neues App-Passwort (nur jetzt sichtbar):",
        "Tu nueva contraseña de app (solo se muestra ahora):",
    ),
    "App password": ("App-Passwort", "Contraseña de app"),
    "made %(date)s": ("erstellt am %(date)s", "creada el %(date)s"),
    "last used %(date)s": ("zuletzt benutzt am %(date)s", "usada por última vez el %(date)s"),
    "Revoke": ("Widerrufen", "Revocar"),
    "App name": ("Name der App", "Nombre de la app"),
    "Make an app password": ("App-Passwort erstellen", "Crear una contraseña de app"),
    "Entries left out": ("Ausgelassene Einträge", "Entradas omitidas"),
    "%(num)d entry dropped": (
        ("%(num)d Eintrag ausgelassen", "%(num)d Einträge ausgelassen"),
        ("%(num)d entrada omitida", "%(num)d entradas omitidas"),
    ),
    "%(num)d text not fetched yet": (
        ("%(num)d Text noch nicht abgerufen", "%(num)d Texte noch nicht abgerufen"),
        ("%(num)d texto aún no descargado", "%(num)d textos aún no descargados"),
    ),
    "Text not fetched yet: this is what the feed said; the page will be fetched again.": (
        "Text noch nicht abgerufen: Das ist, was der Feed sagt; die Seite wird erneut abgerufen.",
        "Texto aún no descargado: esto es lo que decía el feed; la página se volverá a descargar.",
    ),
    "Media": ("Medien", "Medios"),
    "Audio": ("Audio", "Audio"),
    "Video": ("Video", "Vídeo"),
    "File": ("Datei", "Archivo"),
    "Please log in first.": ("Bitte zuerst anmelden.", "Inicie sesión primero."),
    "Only administrators may do that.": (
        "Das dürfen nur Administratoren.",
        "Solo los administradores pueden hacerlo.",
    ),
    "This address does not answer that kind of request.": (
        "Diese Adresse beantwortet diese Art von Anfrage nicht.",
        "Esta dirección no responde a ese tipo de petición.",
    ),
    "Something went wrong on our side; it has been logged. Please try again later.": (
        "Bei uns ist etwas schiefgegangen; der Fehler wurde vermerkt. Bitte später erneut versuchen.",
        "Algo falló por nuestra parte; ha quedado registrado. Vuelva a intentarlo más tarde.",
    ),
    "%(name)s: please give a date written as YYYY-MM-DD.": (
        "%(name)s: bitte ein Datum im Format JJJJ-MM-TT angeben.",
        "%(name)s: indique una fecha con el formato AAAA-MM-DD.",
    ),
    "%(name)s: please give a whole number.": (
        "%(name)s: bitte eine ganze Zahl angeben.",
        "%(name)s: indique un número entero.",
    ),
    "%(name)s: this value is outside the range this page accepts.": (
        "%(name)s: dieser Wert liegt außerhalb des Bereichs, den diese Seite annimmt.",
        "%(name)s: este valor está fuera del intervalo que admite esta página.",
    ),
    "%(name)s: this value is too long.": ("%(name)s: dieser Wert ist zu lang.", "%(name)s: este valor es demasiado largo."),
    "%(name)s: this value is missing.": ("%(name)s: dieser Wert fehlt.", "%(name)s: falta este valor."),
    "English": ("Englisch", "inglés"),
    "German": ("Deutsch", "alemán"),
    "Spanish": ("Spanisch", "español"),
    "French": ("Französisch", "francés"),
    "Italian": ("Italienisch", "italiano"),
    "Portuguese": ("Portugiesisch", "portugués"),
    "Dutch": ("Niederländisch", "neerlandés"),
    "In English:": ("Auf Deutsch:", "En español:"),
    "Daily briefing: the last 24 hours": (
        "Tagesüberblick: die letzten 24 Stunden",
        "Resumen del día: las últimas 24 horas",
    ),
    "Daily briefing: %(date)s": ("Tagesüberblick: %(date)s", "Resumen del día: %(date)s"),
    "Other days": ("Andere Tage", "Otros días"),
    "Previous day": ("Vorheriger Tag", "Día anterior"),
    "Next day": ("Nächster Tag", "Día siguiente"),
    "Today so far (%(date)s)": ("Heute bisher (%(date)s)", "Hoy hasta ahora (%(date)s)"),
    "The last 24 hours": ("Die letzten 24 Stunden", "Las últimas 24 horas"),
    "No stories were reported in the last 24 hours.": (
        "In den letzten 24 Stunden wurde über keine Geschichte berichtet.",
        "No se informó de ninguna noticia en las últimas 24 horas.",
    ),
    "Countries of the sources": ("Länder der Quellen", "Países de las fuentes"),
    "Languages of the reports": ("Sprachen der Berichte", "Idiomas de las noticias"),
    "+%(num)d more source": (
        ("+%(num)d weitere Quelle", "+%(num)d weitere Quellen"),
        ("+%(num)d fuente más", "+%(num)d fuentes más"),
    ),
}


def plural_forms(translation: str | tuple[str, str], count: int) -> str | tuple[str, ...]:
    """A plural translation with as many forms as the language has: the plural repeated for the others
    (Spanish has three in CLDR, one, many and other; a missing form fell back to English for 2 to 999,999)."""
    if isinstance(translation, str):
        return translation
    return translation + (translation[-1],) * (count - len(translation))


def main() -> int:
    with (LOCALE / "messages.pot").open("rb") as handle:
        template = read_po(handle)
    ids = [m.id for m in template if m.id] + CATEGORY_NAMES
    missing = [i for i in ids if (i[0] if isinstance(i, tuple) else i) not in TABLE]
    if missing:
        print("untranslated:", missing)
        return 1
    for index, language in enumerate(("de", "es")):
        catalog = Catalog(locale=language, project="newsdesk")
        for message_id in ids:
            key = message_id[0] if isinstance(message_id, tuple) else message_id
            catalog.add(message_id, plural_forms(TABLE[key][index], catalog.num_plurals))
        folder = LOCALE / language / "LC_MESSAGES"
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / "messages.po").open("wb") as handle:
            write_po(handle, catalog, omit_header=False, no_location=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
