/**
 * Renders a validation path the way OpenAI names params: `tools[0].server_label`, `input[2].content`.
 */
export function formatZodPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else out += out === "" ? String(segment) : `.${String(segment)}`;
  }
  return out;
}
