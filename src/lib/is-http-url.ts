/** Whether `text` is an absolute `http:` or `https:` URL (the only schemes MCP and registries use). */
export function isHttpUrl(text: string): boolean {
  if (!URL.canParse(text)) return false;
  const { protocol } = new URL(text);
  return protocol === "http:" || protocol === "https:";
}
