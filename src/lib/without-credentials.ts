/**
 * A URL as it may appear in a log line or an error message: scheme, host, port and path, without
 * user info, query or fragment, where a credential could sit (`https://key@host/v1?api_key=…`).
 * Text that is not a URL is returned as `<invalid URL>` rather than echoed.
 */
export function withoutCredentials(url: string): string {
  if (!URL.canParse(url)) return "<invalid URL>";
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
}
