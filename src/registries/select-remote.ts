import { RemoteSelectionError } from "../errors/remote-selection-error.js";
import type {
  RegistryHeader,
  RegistryInput,
  RegistryRemote,
  RegistryServerEntry,
} from "./registry-types.js";
import { isHttpUrl } from "../lib/is-http-url.js";

/** The endpoint Patchbay connects to for a registry server. */
export interface SelectedRemote {
  url: string;
  transport: "streamable-http" | "sse";
  /** Registry-defined header values, plus the caller's values for required/secret headers. */
  headers: Record<string, string>;
}

/** server.json `{curly}` placeholders (identifier syntax of the draft schema's URL pattern). */
const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Turns a registry entry into one concrete remote (PRODUCT.md §5 "Remote selection", §8.7):
 * streamable-http preferred over sse; URL `{variables}` filled from each variable's `value`, else
 * its `default`; `headers[]` from `value` (its own `{variables}` filled) or `default`. A required
 * or secret header with no usable value comes from `callerHeaders` (the tool's `headers`, with
 * `Authorization` added from its `authorization`), matched case-insensitively. Anything still
 * missing throws `RemoteSelectionError` naming it; a packages-only server is `no_remote`.
 * Merging the caller's other headers on top is the caller's job (case-insensitively).
 */
export function selectRemote(
  entry: RegistryServerEntry,
  callerHeaders: Record<string, string>,
): SelectedRemote {
  const remote =
    entry.remotes.find((candidate) => candidate.type === "streamable-http") ??
    entry.remotes.find((candidate) => candidate.type === "sse");
  if (remote === undefined) {
    const reason = entry.hasPackages
      ? " (it only lists packages, and Patchbay does not launch local processes)"
      : "";
    throw new RemoteSelectionError(
      `MCP registry server '${entry.name}' has no remote endpoint${reason}.`,
      { code: "no_remote", serverName: entry.name },
    );
  }
  return {
    url: resolveUrl(entry.name, remote),
    transport: remote.type,
    headers: resolveHeaders(entry.name, remote.headers, callerHeaders),
  };
}

function resolveUrl(serverName: string, remote: RegistryRemote): string {
  for (const [name, variable] of Object.entries(remote.variables)) {
    if (variable.isRequired && valueOf(variable) === null) throw missingVariable(serverName, name);
  }
  const filled = fillTemplate(remote.url, remote.variables);
  if (filled.unresolved !== null) throw missingVariable(serverName, filled.unresolved.name);
  if (!isHttpUrl(filled.text)) {
    throw new RemoteSelectionError(
      `MCP registry server '${serverName}' has a remote URL that is not a valid http(s) URL once its variables are filled.`,
      { code: "invalid_url", serverName },
    );
  }
  return filled.text;
}

function resolveHeaders(
  serverName: string,
  headers: RegistryHeader[],
  callerHeaders: Record<string, string>,
): Record<string, string> {
  const supplied = new Map(
    Object.entries(callerHeaders).map(([name, value]) => [name.toLowerCase(), value]),
  );
  const resolved: Record<string, string> = {};
  for (const header of headers) {
    const template = valueOf(header);
    const filled = template === null ? null : fillTemplate(template, header.variables);
    if (filled !== null && filled.unresolved === null) {
      resolved[header.name] = filled.text;
      continue;
    }
    const needed = header.isRequired || header.isSecret || filled?.unresolved?.isRequired === true;
    if (!needed) continue;
    const fromCaller = supplied.get(header.name.toLowerCase());
    if (fromCaller === undefined) {
      throw new RemoteSelectionError(
        `MCP registry server '${serverName}' requires the header '${header.name}'; pass it in the tool's headers.`,
        { code: "missing_header", serverName, missing: header.name },
      );
    }
    resolved[header.name] = fromCaller;
  }
  return resolved;
}

interface FilledTemplate {
  text: string;
  /** The first placeholder left unfilled (undeclared ones count: they can only be a mistake). */
  unresolved: { name: string; isRequired: boolean } | null;
}

function fillTemplate(template: string, variables: Record<string, RegistryInput>): FilledTemplate {
  let unresolved: FilledTemplate["unresolved"] = null;
  const text = template.replace(PLACEHOLDER, (placeholder, name: string) => {
    const variable = Object.hasOwn(variables, name) ? variables[name] : undefined;
    const value = variable === undefined ? null : valueOf(variable);
    if (value !== null) return value;
    unresolved ??= { name, isRequired: variable?.isRequired ?? false };
    return placeholder;
  });
  return { text, unresolved };
}

function valueOf(input: RegistryInput): string | null {
  return input.value ?? input.default;
}

function missingVariable(serverName: string, name: string): RemoteSelectionError {
  return new RemoteSelectionError(
    `MCP registry server '${serverName}' needs the URL variable '${name}', which has no value or default; an administrator can create a connector with a concrete URL instead.`,
    { code: "missing_variable", serverName, missing: name },
  );
}
