"""Articles and their key sentences -> a Script meant to be heard: intro, stories, outro."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from briefing.models import Break, Line, Script, Section, Story, Voice

_DOUBLE_STOP = re.compile(r"([.!?…])\.$")


@dataclass(frozen=True)
class Pauses:
    sentence_ms: int = 350  # a breath: shorter and sentences run together
    paragraph_ms: int = 700  # a beat longer marks a new thought
    story_ms: int = 1200  # long enough to hear a change of story, short enough not to feel dead


@dataclass(frozen=True)
class _Words:
    """The host's phrases in one language."""

    months: tuple[str, ...]
    weekdays: tuple[str, ...]
    date: str  # format with {weekday} {day} {month} {year}
    welcome: str
    today_one: str
    today_many: str
    from_site: str  # {site}: {title}
    story_from: str  # {site}
    first: str
    next: str
    finally_: str
    outro: str
    intro_title: str
    outro_title: str


WORDS: dict[str, _Words] = {
    "en": _Words(
        months=("January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December"),
        weekdays=("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
        date="{weekday}, {month} {day}, {year}",
        welcome="Welcome to {show}. It's {date}.",
        today_one="Today, {headline}.",
        today_many="Today, {count} stories.",
        from_site="from {site}: {title}",
        story_from="a story from {site}",
        first="First,",
        next="Next,",
        finally_="And finally,",
        outro="That's {show} for today. Thanks for listening.",
        intro_title="Intro",
        outro_title="Outro",
    ),
    "de": _Words(
        months=("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
                "September", "Oktober", "November", "Dezember"),
        weekdays=("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"),
        date="{weekday}, {day}. {month} {year}",
        welcome="Willkommen bei {show}. Heute ist {date}.",
        today_one="Heute {headline}.",
        today_many="Heute {count} Meldungen.",
        from_site="von {site}: {title}",
        story_from="eine Meldung von {site}",
        first="Zuerst",
        next="Weiter",
        finally_="Und zum Schluss",
        outro="Das war {show} für heute. Danke fürs Zuhören.",
        intro_title="Einleitung",
        outro_title="Schluss",
    ),
    "fr": _Words(
        months=("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
                "septembre", "octobre", "novembre", "décembre"),
        weekdays=("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
        date="{weekday} {day} {month} {year}",
        welcome="Bienvenue dans {show}. Nous sommes le {date}.",
        today_one="Aujourd'hui, {headline}.",
        today_many="Aujourd'hui, {count} sujets.",
        from_site="de {site} : {title}",
        story_from="un article de {site}",
        first="D'abord,",
        next="Ensuite,",
        finally_="Et enfin,",
        outro="C'était {show} pour aujourd'hui. Merci de votre écoute.",
        intro_title="Introduction",
        outro_title="Conclusion",
    ),
    "es": _Words(
        months=("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
                "septiembre", "octubre", "noviembre", "diciembre"),
        weekdays=("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
        date="{weekday} {day} de {month} de {year}",
        welcome="Bienvenidos a {show}. Hoy es {date}.",
        today_one="Hoy, {headline}.",
        today_many="Hoy, {count} noticias.",
        from_site="de {site}: {title}",
        story_from="una noticia de {site}",
        first="Primero,",
        next="A continuación,",
        finally_="Y por último,",
        outro="Esto ha sido {show} de hoy. Gracias por escuchar.",
        intro_title="Introducción",
        outro_title="Despedida",
    ),
    "pt": _Words(
        months=("janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto",
                "setembro", "outubro", "novembro", "dezembro"),
        weekdays=("segunda-feira", "terça-feira", "quarta-feira", "quinta-feira", "sexta-feira",
                  "sábado", "domingo"),
        date="{weekday}, {day} de {month} de {year}",
        welcome="Bem-vindos ao {show}. Hoje é {date}.",
        today_one="Hoje, {headline}.",
        today_many="Hoje, {count} notícias.",
        from_site="de {site}: {title}",
        story_from="uma notícia de {site}",
        first="Primeiro,",
        next="A seguir,",
        finally_="E por fim,",
        outro="Este foi o {show} de hoje. Obrigado por ouvir.",
        intro_title="Introdução",
        outro_title="Encerramento",
    ),
}


def words_for(language: str) -> _Words:
    return WORDS.get(language.split("-")[0].lower(), WORDS["en"])


def spoken_date(day: dt.date, language: str) -> str:
    w = words_for(language)
    return w.date.format(
        weekday=w.weekdays[day.weekday()], day=day.day, month=w.months[day.month - 1], year=day.year
    )


def story_title(story: Story, index: int) -> str:
    """A chapter title: the article's title, else its first sentence cut short (the title
    every listing of the story shows: clean.title)."""
    from briefing.clean.title import first_sentence

    if story.article.title.strip():
        return story.article.title.strip()
    first = first_sentence(story.sentences[0] if story.sentences else story.article.text)
    return first or f"Story {index}"


def _headline(story: Story, w: _Words) -> str:
    title = story.article.title.strip().rstrip(".")
    site = story.article.site_name.strip()
    if title and site:
        return w.from_site.format(site=site, title=title)
    if title:
        return title
    if site:
        return w.story_from.format(site=site)
    return ""


def write_script(
    stories: Sequence[Story],
    *,
    show: str,
    date: dt.date,
    language: str = "en",
    host: Voice | None = None,
    reader: Voice | None = None,
    pauses: Pauses | None = None,
) -> Script:
    """The host opens and introduces each story, the reader reads it, the host closes."""
    host = host or Voice()
    reader = reader or Voice()
    pauses = pauses or Pauses()
    w = words_for(language)
    lang = language.split("-")[0].lower()

    def say(text: str, kind: str, pause: int) -> Line:
        text = _DOUBLE_STOP.sub(r"\1", text)  # "Premier League – live!." -> "live!"
        return Line(text=text, role="host", kind=kind, language=lang, pause_after_ms=pause)  # type: ignore[arg-type]

    intro = [say(w.welcome.format(show=show, date=spoken_date(date, language)), "intro",
                 pauses.sentence_ms)]
    if len(stories) == 1:
        headline = _headline(stories[0], w)
        if headline:
            intro.append(say(w.today_one.format(headline=headline), "intro", pauses.story_ms))
    elif stories:
        intro.append(say(w.today_many.format(count=len(stories)), "intro", pauses.story_ms))
    intro[-1] = replace(intro[-1], pause_after_ms=pauses.story_ms)

    sections = [Section(title=w.intro_title, lines=tuple(intro))]
    for i, story in enumerate(stories):
        lines: list[Line] = []
        if len(stories) > 1:
            lead = w.first if i == 0 else w.finally_ if i == len(stories) - 1 else w.next
            headline = _headline(story, w) or story_title(story, i + 1)
            lines.append(say(f"{lead} {headline}.", "headline", pauses.paragraph_ms))
        breaks = story.breaks or ("sentence",) * len(story.sentences)
        for j, (sentence, brk) in enumerate(zip(story.sentences, breaks, strict=True)):
            last = j == len(story.sentences) - 1
            pause = (
                pauses.story_ms if last
                else pauses.paragraph_ms if brk == "paragraph"
                else pauses.sentence_ms
            )
            lines.append(Line(text=sentence, role="reader", kind="story",
                              language=story.article.language, pause_after_ms=pause))
        if lines:
            sections.append(Section(title=story_title(story, i + 1), lines=tuple(lines),
                                    url=story.article.url, source=story.article.source))
    sections.append(Section(title=w.outro_title,
                            lines=(say(w.outro.format(show=show), "outro", 0),)))
    title = f"{show}, {spoken_date(date, language)}"
    return Script(show=show, title=title, date=date.isoformat(), language=lang,
                  sections=tuple(sections), host=host, reader=reader)


def paragraph_breaks(text: str, sentences: Sequence[str]) -> tuple[Break, ...]:
    """For each chosen sentence, "paragraph" when the next one read starts a new paragraph."""
    paragraphs = [p for p in text.split("\n\n") if p.strip()]

    def where(sentence: str) -> int:
        # the summary may have rewritten a sentence's start (a pronoun named) or its end
        # (cut at a clause): look for its first words, then for its last ones
        for probe in (sentence[:60], sentence.rstrip(" .!?\"'”’")[-40:]):
            if len(probe) < 12 and probe != sentence:
                continue
            for i, para in enumerate(paragraphs):
                if probe in para:
                    return i
        return -1

    found = [where(s) for s in sentences]
    for k, here in enumerate(found):  # rewritten at both ends: it stays where the last one was
        if here < 0:
            found[k] = found[k - 1] if k else 0
    breaks: list[Break] = []
    for here, after in zip(found, [*found[1:], None], strict=True):
        breaks.append("paragraph" if after is not None and after != here else "sentence")
    return tuple(breaks)
