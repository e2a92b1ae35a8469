/**
 * The Content Security Policy of the UI (docs/packaging.md "Content Security Policy"), sent as a
 * response header wherever the UI is served: the app:// protocol handler and the session hook
 * in Electron, the web server in web mode. Only the app's own scripts and styles, no remote
 * content, WebSocket back to the serving host only (web mode). No inline styles: React `style`
 * props and uPlot set styles through the CSSOM (element.style), which CSP does not govern; a
 * `<style>` element or a `style="…"` attribute in markup would be blocked, and the web E2E suite
 * fails on any reported violation (tests/e2e/csp.spec.ts).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
