import { html } from "./escape.js";
import { renderPage, STYLESHEET_PATH } from "./layout.js";

/**
 * A page for a status other than 200 (404, 429, 500): the same shell as the
 * report pages, the title as its heading and one message. `title` and
 * `message` are escaped like everything else, since a 404 may echo a name
 * from the URL.
 */
export function renderStatusPage(status: number, title: string, message: string, css: string = STYLESHEET_PATH): string {
  return renderPage({
    title: `${title} · skillproof`,
    css,
    main: html`<h1>${title}</h1>
<p>${message}</p>
<p class="muted">HTTP status ${status}</p>`,
  });
}
