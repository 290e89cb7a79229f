// The security headers every Kraite web app sends, in one place: a strict CSP that forbids framing,
// Referrer-Policy, a Permissions-Policy that turns off every powerful feature, and HSTS (browsers
// only honour it over TLS, so behind nginx's TLS it pins HTTPS and on http://localhost it is inert).
import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

/** The Content-Security-Policy directives an app may set (frame-ancestors is always 'none'). */
export interface CspOptions {
  defaultSrc?: string[];
  scriptSrc?: string[];
  styleSrc?: string[];
  imgSrc?: string[];
  formAction?: string[];
  baseUri?: string[];
  objectSrc?: string[];
}

/** Features no Kraite page uses: each is switched off for the page and every frame. */
const NO_FEATURES = Object.fromEntries([
  'accelerometer', 'autoplay', 'camera', 'displayCapture', 'fullscreen', 'geolocation', 'gyroscope',
  'magnetometer', 'microphone', 'midi', 'payment', 'publickeyCredentialsGet', 'screenWakeLock', 'serial', 'usb',
].map((feature) => [feature, false]));

/** The strictest policy that still serves the apps' own files: scripts and styles from 'self' only. */
export const STRICT_CSP: CspOptions = {
  defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'"], imgSrc: ["'self'", 'data:'], formAction: ["'self'"], baseUri: ["'none'"], objectSrc: ["'none'"],
};

/** The shared headers middleware with `csp` as the page's Content-Security-Policy. */
export function securityHeaders(csp: CspOptions = STRICT_CSP): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: { ...csp, frameAncestors: ["'none'"] },
    xFrameOptions: 'DENY',
    referrerPolicy: 'same-origin',
    strictTransportSecurity: 'max-age=31536000; includeSubDomains',
    permissionsPolicy: NO_FEATURES,
  });
}
