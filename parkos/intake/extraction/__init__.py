"""Drafting records from a news article: events, organizations, people, agreements, figures, industries.

``extract(text, source=...)`` returns one JSON-ready dict of this shape (the API and CLI return it as is)::

    {"source": "file name or title",
     "language": "en" | "zh",
     "event": {"kind": "signing" | "visit" | "meeting" | "celebration" | "other",
               "date": "YYYY-MM-DD" | "--MM-DD" (no year in the text) | None,
               "title": "..."},
     "organizations": [{"name", "aliases": [other forms written] (when any), "kind": "government" | "enterprise" | "university" | "hospital" |
                        "financial" | "other", "span": [start, end]}],
     "people": [{"name", "titles": [...], "organization": name | None, "span": [start, end]}],
     "bylines": [{"name", "role": "author" | "reporter" | "editor" | "photographer", "span": [start, end]}],
     "agreements": [{"kind", "parties": [organization names], "signatories": [{"person", "on_behalf_of"}]}],
     "figures": [{"kind": "money" | "area" | "count" | "percent", "value", "unit", "of", "text", "span"}],
     "industries": [...]}

Spans are character offsets into ``text`` (``text[start:end]`` is what was found). Everything is rule
based: an Aho-Corasick index of the names already in the directory (the gazetteer), dateparser, word
lists and patterns. Nothing is downloaded at run time.
"""
