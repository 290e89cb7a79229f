// The docs site's public surface (the build in ./node/ renders the pages; it is Node-only).
export { createDocsApp, type DocsAppOptions } from './docs-app.ts';
export { pagePath, type DocPage, type Heading } from './docs-page.ts';
export { searchDocs, type SearchHit } from './docs-site.ts';
