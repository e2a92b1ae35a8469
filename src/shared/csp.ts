/**
 * The Content Security Policy of the UI, the same in Electron (response header and meta tag) and
 * in web mode (response header): only the app's own scripts and styles, no remote content;
 * WebSocket back to the serving host only (web mode); inline styles allowed for uPlot.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
