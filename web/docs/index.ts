// The docs site's public surface (the bundle builder in ./node/ is Node-only).
export { createDocsApp, type DocsAppOptions } from './docs-app.ts';
export { buildDocs, searchDocs, type DocPage, type SearchHit } from './docs-site.ts';
export { renderMarkdown } from './markdown.ts';
