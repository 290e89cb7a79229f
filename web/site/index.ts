// The marketing site's public surface.
export { createSiteApp, type SiteAppOptions } from './site-app.ts';
