"""A small signed-in HTTP client for the load benchmark: sign in, time a page, send a form."""

from __future__ import annotations

import http.client
import re
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode

COOKIE_NAME = "streamlead_session"


@dataclass
class Reply:
    """One response: status, headers that matter, body and how long it took."""

    status: int
    body: bytes
    seconds: float
    content_type: str = ""
    location: str = ""
    retry_after: str = ""

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class Client:
    """One user on 127.0.0.1; keeps the session cookie the server last set."""

    def __init__(self, port: int, timeout: float = 60.0) -> None:
        self.port = port
        self.timeout = timeout
        self.cookie = ""

    def request(self, method: str, path: str, form: list[tuple[str, str]] | None = None) -> Reply:
        """One request on a fresh connection (gunicorn's sync workers close each one)."""
        headers = {"Cookie": self.cookie} if self.cookie else {}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        began = time.perf_counter()
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
        finally:
            conn.close()
        seconds = time.perf_counter() - began
        for header in response.headers.get_all("Set-Cookie") or []:
            if header.startswith(f"{COOKIE_NAME}="):
                self.cookie = header.split(";", 1)[0]
        return Reply(
            response.status,
            data,
            seconds,
            response.headers.get("Content-Type", ""),
            response.headers.get("Location", ""),
            response.headers.get("Retry-After", ""),
        )

    def get(self, path: str) -> Reply:
        return self.request("GET", path)

    def sign_in(self, email: str, password: str) -> None:
        """Sign in through the form, as a browser does."""
        page = self.get("/login")
        status = self.request(
            "POST",
            "/login",
            [("csrf_token", csrf_token(page.text)), ("email", email), ("password", password)],
        ).status
        if status != 302:
            raise RuntimeError(f"sign-in as {email} failed with HTTP {status}")


def csrf_token(html: str) -> str:
    """The first CSRF token on a page ('' if none)."""
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    return match.group(1) if match else ""


@dataclass
class Form:
    """A form as the browser would send it unchanged."""

    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    radios: dict[str, list[str]] = field(default_factory=dict)  # name -> options, none checked


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._checked_radios: set[tuple[int, str]] = set()
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = Form(a.get("action", ""), a.get("method", "get").lower())
            self.forms.append(self._form)
            return
        form = self._form
        if form is None:
            return
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind == "radio":
                if "checked" in a:
                    form.fields.append((name, a.get("value", "on")))
                    form.radios.pop(name, None)
                    self._checked_radios.add((id(form), name))
                elif (id(form), name) not in self._checked_radios:
                    form.radios.setdefault(name, []).append(a.get("value", "on"))
            elif kind == "checkbox":
                if "checked" in a:
                    form.fields.append((name, a.get("value", "on")))
            else:
                form.fields.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self._select, self._select_first, self._select_chosen = name, None, False
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in a and not self._select_chosen:
                form.fields.append((self._select, value))
                self._select_chosen = True
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None and self._form is not None:
            if not self._select_chosen and self._select_first is not None:
                self._form.fields.append((self._select, self._select_first))
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form.fields.append((self._textarea, "".join(self._text).lstrip("\n")))
            self._textarea = None


def forms_of(html: str) -> list[Form]:
    """Every form on a page with the values it would send."""
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    return parser.forms


def fill(form: Form, values: dict[str, str], pick: str = "2") -> list[tuple[str, str]]:
    """The form's fields with `values` replacing theirs; unchecked radios take `pick` (or the
    first option), as a person answering every question would."""
    sent = [(name, value) for name, value in form.fields if name not in values]
    sent += list(values.items())
    for name, options in form.radios.items():
        if name not in values:
            sent.append((name, pick if pick in options else options[0]))
    return sent
