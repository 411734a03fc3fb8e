// The little Markdown the repair texts use, rendered safely: paragraphs, line breaks,
// **bold**, `code` and [links](url). Everything is escaped first; a link's target must be
// http(s) or a path of this Home Assistant. Placeholders may hold names people chose (a
// token's name, a user's name): they are escaped like the rest and never become markup.

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ESCAPES[c]);

const safeHref = (url: string): string | null => {
  const trimmed = url.trim();
  if (/^https?:\/\//i.test(trimmed) || /^\/(?!\/)/.test(trimmed)) {
    return trimmed;
  }
  return null;
};

// Inline Markdown of one escaped line: code spans first, so nothing inside them changes.
const inline = (line: string): string =>
  line
    .split(/(`[^`]*`)/)
    .map((part) => {
      if (part.length > 1 && part.startsWith("`") && part.endsWith("`")) {
        return `<code>${part.slice(1, -1)}</code>`;
      }
      return part
        .replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>")
        .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (match, text: string, url: string) => {
          // `url` is escaped already; &amp; is the only entity a URL may hold.
          const href = safeHref(url.replace(/&amp;/g, "&"));
          if (href === null) {
            return match;
          }
          const external = !href.startsWith("/");
          return `<a href="${escapeHtml(href)}"${
            external ? ' target="_blank" rel="noreferrer noopener"' : ""
          }>${text}</a>`;
        });
    })
    .join("");

/** HTML for a repair text: escaped, then the Markdown above. */
export const renderMarkdown = (text: string): string =>
  text
    .split(/\n{2,}/)
    .map((paragraph) =>
      `<p>${escapeHtml(paragraph).split("\n").map(inline).join("<br>")}</p>`,
    )
    .join("");
