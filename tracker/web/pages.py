"""The team page's own pages: a claim, the sources, and errors, each one self-contained
HTML file like the report (tracker.render.report_html, whose `e` escapes every piece of
user text here too, and whose `link` makes only http and https URLs links), and the
small script that keeps an open page current.

The script is the same bytes on every page (the page's ETag is in a `<meta>` tag), so
the Content-Security-Policy names it by its hash and no other script can run.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from tracker.queries.timeline import Timeline
from tracker.render.listings import (
    HISTORY_HEADERS,
    SOURCE_HEADERS,
    event_actor,
    event_detail,
    source_cells,
)
from tracker.render.report_html import COLOURS, STYLE, e, link
from tracker.rules.identity import handle as handle_of
from tracker.rules.kinds import LINK_WORDS

POLL_MS = 5000  # an open page asks for changes this often: shown within 10 s

# Asks for the page again with the ETag it shows; when the answer is a page with another
# ETag (a change), it puts the new body in place: no reload, the scroll kept, and this
# script not run twice (a parsed document's scripts never run). An error page has no ETag
# (the meta is empty): it asks plainly, and stays until the answer is a page. A server
# that is away is asked again later.
LIVE_SCRIPT = """
(function () {
  "use strict";
  var mark = document.querySelector('meta[name="tracker-etag"]');
  if (!mark || !window.fetch || !window.DOMParser) { return; }
  var etag = mark.getAttribute("content");
  function show(response) {
    var next = response.headers.get("ETag");
    var type = response.headers.get("Content-Type") || "";
    if (response.status === 304 || !next || type.indexOf("text/html") !== 0) { return null; }
    return response.text().then(function (html) {
      var page = new DOMParser().parseFromString(html, "text/html");
      document.title = page.title;
      document.body.replaceWith(document.adoptNode(page.body));
      etag = next;
    });
  }
  function poll() {
    var headers = etag ? {"If-None-Match": etag} : {};
    fetch(window.location.href, {headers: headers, cache: "no-store"})
      .then(show)
      .catch(function () { return null; })
      .then(function () { window.setTimeout(poll, POLL_MS); });
  }
  window.setTimeout(poll, POLL_MS);
})();
""".replace("POLL_MS", str(POLL_MS))
SCRIPT_HASH = base64.b64encode(hashlib.sha256(LIVE_SCRIPT.encode()).digest()).decode()
# Only the script above runs; styles are inline; nothing is loaded from anywhere else.
CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; script-src 'sha256-{SCRIPT_HASH}'; style-src 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)
# The history as `show` prints it, its columns said in full.
HISTORY_LABELS = {"ID": "Event", "RECORDED": "Recorded (UTC)", "EFFECTIVE": "Effective on",
                  "EVENT": "What"}  # fmt: skip
HISTORY_NOTE = (
    '<p class="note">Oldest first, in the order it was recorded, as <code>tracker show</code> '
    "lists it. <em>Recorded</em>: when it was entered; <em>effective on</em>: the day it "
    "counts from (evidence entered late counts from the day it was seen).</p>"
)
PAGE_STYLE = """
nav { font-size: 14px; color: #555; margin-bottom: 1rem; } nav a { margin-right: .8rem; }
.handle { font: 15px ui-monospace, monospace; color: #555; font-weight: normal; }
p.text { font-size: 1.15rem; margin: .4rem 0 1rem; }
table.fields th { width: 9rem; background: none; font-weight: 600; }
p.note { font-size: 14px; color: #555; margin: -.3rem 0 .6rem; }
"""


def live_head(etag: str) -> str:
    """What goes at the end of every page's head: its ETag, the script that polls, and an
    empty icon (else a browser asks for /favicon.ico, and logs the 404)."""
    return (
        f'<meta name="tracker-etag" content="{e(etag)}"><script>{LIVE_SCRIPT}</script>'
        '<link rel="icon" href="data:,">'
    )


def claim_href(claim: dict[str, Any], when: Timeline | None = None) -> str:
    """A claim's page (as of a day, or as known on one, from a report so): by handle (the
    same in every copy of the database), else by id."""
    if claim.get("handle"):
        name = claim["handle"]
    elif claim.get("uid"):
        name = handle_of(claim["uid"])
    else:
        name = claim["claim_id"] if "claim_id" in claim else claim["id"]
    return f"/claims/{name}" + (timeline_query(when) if when else "")


def timeline_query(when: Timeline) -> str:
    """The query that asks a page for the same day: `?as_of=D`, `?known_on=D`, or both
    when they differ (known_on alone sets as_of to its day)."""
    asked = []
    if when.as_of is not None and when.as_of != when.known_on:
        asked.append(f"as_of={when.as_of.isoformat()}")
    if when.known_on is not None:
        asked.append(f"known_on={when.known_on.isoformat()}")
    return "?" + "&".join(asked) if asked else ""


def _page(title: str, body: list[str], etag: str) -> str:
    return (
        "\n".join(
            [
                "<!DOCTYPE html>",
                '<html lang="en"><head><meta charset="utf-8">',
                '<meta name="viewport" content="width=device-width, initial-scale=1">',
                f"<title>{e(title)}</title>",
                f"<style>{STYLE}{PAGE_STYLE}</style>{live_head(etag)}</head><body>",
                '<nav><a href="/">Report</a><a href="/sources">Sources</a></nav>',
                *body,
                "</body></html>",
            ]
        )
        + "\n"
    )


def _table(headers: list[str], rows: list[list[str]]) -> str:
    """A table of cells already escaped."""
    head = "".join(f"<th>{e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _status(status: str) -> str:
    return f'<span class="status" style="color:{COLOURS[status]}">{e(status)}</span>'


def claim_page(claim: dict[str, Any], etag: str) -> str:
    """`show`: the claim's fields, its links, its evidence and its history."""
    name = claim.get("handle") or handle_of(claim["uid"])
    article = claim["article"] or {}
    expected = claim["expected"]
    status = _status(claim["status"]) + (f" on {e(claim['resolved_on'])}"
                                         if claim["resolved_on"] else "")  # fmt: skip
    if claim["overdue"]:
        status += ' <span class="overdue">overdue</span>'
    if claim.get("withdrawn"):
        status += " <strong>(withdrawn)</strong>"
    likelihood = None
    if claim["likelihood"] is not None:
        hedge = f" ({claim['hedge']})" if claim.get("hedge") else ""
        likelihood = f"{claim['likelihood']:.2f}{hedge}"
    fields = [
        ("Status", status),
        ("Actually", e(claim.get("actual")) if claim.get("actual") else None),
        ("Subject", e(claim["subject"]) if claim["subject"] else None),
        ("Source", e(claim["source"]) if claim["source"] else None),
        ("Said on", e(claim["said_on"])),
        (
            "Expected",
            expected and e(f"{expected['text']} ({expected['start']} to {expected['end']})"),
        ),  # fmt: skip
        ("Likelihood", e(likelihood) if likelihood else None),
        ("Tags", e(", ".join(claim["tags"])) if claim["tags"] else None),
        ("Article", _article(article) if article else None),
        ("Quote", e(f"“{claim['quote']}”") if claim.get("quote") else None),
        ("Key", e(claim["key"]) if claim["key"] else None),
    ]
    body = [
        f'<h1>Claim {e(claim["id"])} <span class="handle">{e(name)}</span></h1>',
        f'<p class="text">{link(claim["text"], article.get("url"))}</p>',
        '<table class="fields"><tbody>'
        + "".join(f"<tr><th>{e(k)}</th><td>{v}</td></tr>" for k, v in fields if v)
        + "</tbody></table>",
    ]
    if claim.get("links"):
        rows = [
            [e(_link_words(item)), f'<a href="{e(claim_href(item))}">{e(item["claim_id"])}</a>',
             _status(item["status"]) + (" (withdrawn)" if item.get("withdrawn") else ""),
             e(item["text"])]
            for item in claim["links"]
        ]  # fmt: skip
        body += ["<h2>Links</h2>", _table(["Link", "Claim", "Status", "Text"], rows)]
    body.append("<h2>Evidence</h2>")
    if claim["evidence"]:
        tiers = any(item.get("tier") for item in claim["evidence"])  # as `show`: if any has one
        headers = ["ID", "On", "Stance", *(["Tier"] if tiers else []), "Source", "Note"]
        body.append(_table(headers, [_evidence_row(item, tiers) for item in claim["evidence"]]))
    else:
        body.append("<p>None yet.</p>")
    body += ["<h2>History</h2>", HISTORY_NOTE, _table(
        [HISTORY_LABELS.get(h, h.capitalize()) for h in HISTORY_HEADERS],
        [_event_row(event) for event in claim["history"]],
    )]  # fmt: skip
    title = f"Claim {claim['id']} ({name}): {claim['text']}"
    return _page(title if len(title) <= 90 else title[:89] + "…", body, etag)


def _article(article: dict[str, Any]) -> str:
    words = " · ".join(str(v) for v in (article.get("title"), article.get("outlet"),
                                         article.get("published_on")) if v)  # fmt: skip
    url = article.get("url")
    if not url:
        return e(words)
    return link(words or url, url) + (f" ({e(url)})" if words else "")


def _link_words(item: dict[str, Any]) -> str:
    out, _, back = LINK_WORDS[item["kind"]]
    return out if item["direction"] == "out" else back


def _evidence_row(item: dict[str, Any], tiers: bool) -> list[str]:
    """As `show`: the note, then its URL (a link when http or https), in the last column:
    the one that wraps (the report's style keeps the others on one line)."""
    stance = e(item["stance"]) + (" (retracted)" if item["retracted"] else "")
    note = " — ".join(part for part in (e(item["note"] or ""), link(item["url"], item["url"])
                                        if item["url"] else "") if part)  # fmt: skip
    return [
        e(item["id"]), e(item["observed_on"]), stance, *([e(item.get("tier") or "")] * tiers),
        e(item["source"] or ""), note,
    ]  # fmt: skip


def _event_row(event: dict[str, Any]) -> list[str]:
    """A row of `show`'s history: the same columns, words and order, its statuses in
    colour and a linked claim a link."""
    moved = event["from_status"] not in (None, event["to_status"])
    status = (_status(event["from_status"]) + " → " if moved else "") + _status(event["to_status"])
    detail = event_detail(
        event, words=e, claim=lambda other: f'<a href="/claims/{e(other)}">{e(other)}</a>'
    )
    return [
        e(event["id"]), e(event["recorded_at"].replace("T", " ")[:16]), e(event["effective_on"]),
        e(event["event"]), status, e(event_actor(event)), "; ".join(detail),
    ]  # fmt: skip


def sources_page(rows: list[dict[str, Any]], as_of: str, etag: str) -> str:
    """The sources' track records, as the report's table shows them."""
    body = [f"<h1>Sources as of {e(as_of)}</h1>"]
    if rows:
        body.append(_table(list(SOURCE_HEADERS), [[e(c) for c in source_cells(r)] for r in rows]))
    else:
        body.append("<p>No source has a claim to count here.</p>")
    return _page(f"Sources as of {as_of}", body, etag)


def error_page(status: int, title: str, message: str) -> str:
    """An error, with no ETag of its own: its script asks again until there is a page."""
    body = [f"<h1>{e(title)}</h1>", f"<p>{e(message)}</p>"]
    return _page(f"{status} {title}", body, "")
