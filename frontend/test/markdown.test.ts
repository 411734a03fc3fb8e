// The repair texts' Markdown: escaped first, only safe links.
import assert from "node:assert/strict";
import { test } from "node:test";

import { renderMarkdown } from "../src/markdown";
import { bySeverity, counts, relativeTime } from "../src/report";
import type { Finding } from "../src/types";

test("paragraphs, line breaks, bold, code and links", () => {
  assert.equal(
    renderMarkdown("A **b** `c`\nd\n\n[Learn more](https://example.org/x?a=1&b=2)"),
    '<p>A <strong>b</strong> <code>c</code><br>d</p><p><a href="https://example.org/x?a=1&amp;b=2" target="_blank" rel="noreferrer noopener">Learn more</a></p>',
  );
  assert.equal(
    renderMarkdown("[Repairs](/config/repairs)"),
    '<p><a href="/config/repairs">Repairs</a></p>',
  );
});

test("names people chose stay text", () => {
  const html = renderMarkdown('Token "<img src=x onerror=alert(1)>" of **Eve**');
  assert.ok(!html.includes("<img"));
  assert.ok(html.includes("&lt;img src=x onerror=alert(1)&gt;"));
  assert.equal(
    renderMarkdown("`**not bold**`"),
    "<p><code>**not bold**</code></p>",
  );
});

test("only http(s) and local links", () => {
  for (const url of ["javascript:alert(1)", "//evil.example/", "data:text/html,x"]) {
    const html = renderMarkdown(`[x](${url})`);
    assert.ok(!html.includes("<a"), html);
  }
});

const finding = (severity: Finding["severity"], title: string, ignored = false): Finding => ({
  id: title,
  check: "c",
  family: "secrets",
  severity,
  title,
  subject: title,
  file: null,
  line: null,
  key: null,
  ignored,
  learn_more_url: null,
});

test("one rule for counting, most severe first", () => {
  const list = [
    finding("low", "b"),
    finding("critical", "z"),
    finding("info", "i"),
    finding("high", "a", true),
  ];
  assert.deepEqual(
    list.filter(counts).sort(bySeverity).map((f) => f.title),
    ["z", "b"],
  );
});

test("relative times", () => {
  const now = Date.parse("2026-11-29T12:00:00Z");
  assert.equal(relativeTime("2026-11-29T11:55:00Z", "en", now), "5 minutes ago");
  assert.equal(relativeTime("2026-11-29T11:59:58Z", "en", now), "2 seconds ago");
});
