#!/usr/bin/python3
"""Checks the DOM of the HTML report as headless Chromium left it after its
scripts ran, against the summary JSON of the same run.

usage: check_report_dom.py SUMMARY_JSON DOM_HTML

Asserts: the page script finished (data-js-ok="1" on <body>); the set of charts
(<svg data-chart=NAME>) is exactly the one the JSON calls for, each with one
class="bar" per value (and the right number of stacked segments and trend
points); nothing can load from the network or run from the data (no external
src/href, no event-handler attributes, one inline script, no <img>/<iframe>).
Mirrors the rules documented in src/report/html_report.cpp.
"""
import json
import sys
from html.parser import HTMLParser

TIME_DIMENSIONS = {"day", "week", "month"}
CONCERN_KINDS = {"concern", "competitor"}
TREND_TOPICS = 5
EMERGING_BARS = 15


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def expected_charts(summary):
    """{chart name: {marker class: count}} for the charts the report must draw."""
    topics = summary.get("topics", [])
    kind = {t.get("id"): t.get("kind") for t in topics}
    concerns = [t for t in topics if t.get("kind") in CONCERN_KINDS and t.get("calls", 0) > 0]
    sources = [t for t in topics if t.get("kind") == "source" and t.get("calls", 0) > 0]
    charts = {}
    if concerns:
        charts["top-concerns"] = {"bar": len(concerns)}
    if sources:
        charts["heard-of-us"] = {"bar": len(sources)}
    for dimension in summary.get("groups", []):
        name = dimension.get("dimension", "")
        values = dimension.get("values", [])
        if name not in TIME_DIMENSIONS and values:
            segments = sum(1 for v in values for t in v.get("topics", [])
                           if kind.get(t.get("id")) in CONCERN_KINDS and t.get("calls", 0) > 0)
            charts["concern-mix-" + name] = {"bar": len(values), "seg": segments}
        rates = sum(1 for v in values if is_number(v.get("conversion_rate")))
        if rates:
            charts["conversion-" + name] = {"bar": rates}
        costs = sum(1 for v in values if is_number(v.get("cost_per_conversion")))
        if costs:
            charts["cost-per-conversion-" + name] = {"bar": costs}
        periods = [v for v in values if v.get("value") != "(none)"]
        shown = min(TREND_TOPICS, len(concerns))
        if name in TIME_DIMENSIONS and periods and shown:
            charts["topic-trends-" + name] = {"bar": 0, "line": shown,
                                              "point": shown * len(periods)}
    sentiment = [e for e in summary.get("sentiment_by_topic", [])
                 if is_number(e.get("customer_mean"))]
    if sentiment:
        charts["sentiment-by-topic"] = {"bar": len(sentiment)}
    emerging = summary.get("emerging", [])
    if emerging:
        charts["emerging-phrases"] = {"bar": min(EMERGING_BARS, len(emerging))}
    return charts


class Dom(HTMLParser):
    """Counts marker classes per chart and notes anything unsafe."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.charts = {}
        self.chart = None
        self.body = {}
        self.problems = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name.lower().startswith("on"):
                self.problems.append(f"event handler {name} on <{tag}>")
            if name.lower() in ("src", "href", "xlink:href", "action", "srcset") and value \
                    and not value.startswith("#"):
                self.problems.append(f"<{tag} {name}={value!r}> refers outside the page")
        if tag in ("img", "iframe", "object", "embed", "link", "base", "form"):
            self.problems.append(f"unexpected <{tag}>")
        if tag == "script":
            self.scripts += 1
        if tag == "body":
            self.body = attributes
        if tag == "svg" and "data-chart" in attributes:
            self.chart = attributes["data-chart"]
            if self.chart in self.charts:
                self.problems.append(f"chart {self.chart!r} appears twice")
            self.charts[self.chart] = {}
        elif self.chart is not None:
            for marker in (attributes.get("class") or "").split():
                counts = self.charts[self.chart]
                counts[marker] = counts.get(marker, 0) + 1

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "svg":
            self.chart = None


def main():
    summary = json.load(open(sys.argv[1], encoding="utf-8"))
    dom = Dom()
    dom.feed(open(sys.argv[2], encoding="utf-8").read())
    failures = list(dom.problems)
    if dom.body.get("data-js-ok") != "1":
        failures.append("the page script did not finish (no data-js-ok=\"1\" on <body>)")
    if dom.scripts != 1:
        failures.append(f"{dom.scripts} <script> elements, expected the one inline script")
    expected = expected_charts(summary)
    if set(expected) != set(dom.charts):
        failures.append(f"charts differ: missing {sorted(set(expected) - set(dom.charts))}, "
                        f"unexpected {sorted(set(dom.charts) - set(expected))}")
    for name, markers in sorted(expected.items()):
        for marker, count in sorted(markers.items()):
            got = dom.charts.get(name, {}).get(marker, 0)
            status = "ok" if got == count else "WRONG"
            print(f"{status}: chart {name}: {got} x class={marker} (expected {count})")
            if got != count:
                failures.append(f"chart {name}: {got} elements of class {marker}, expected {count}")
    for failure in failures:
        print("FAIL: " + failure, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
