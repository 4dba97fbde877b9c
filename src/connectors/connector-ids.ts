/**
 * The identifier rules (issue 11 §4), written once and used wherever an id enters: the config
 * file, admin writes, path parameters and a request's `tools[].connector_id`. No id may hold
 * control characters (CR, LF, NUL, tab…), start or end with whitespace, or run past its length;
 * each kind keeps every shape the seed and the registries use. The README's "Identifiers" table
 * documents them.
 */
import * as z from "zod";

/** Registry servers are addressed as `mcp::<registry_id>::<server_name>` (seed); other ids may not take that form. */
export const RESERVED_CONNECTOR_ID_PREFIX = "mcp::";
export const MAX_CONNECTOR_ID_LENGTH = 128;
/** `connector_dropbox`, `github`, `team.github`, `acme/github-prod`. */
const CONNECTOR_ID = /^[A-Za-z0-9][A-Za-z0-9._:/-]*$/;
/** Registry ids appear in connector ids (`mcp::<id>::<server>`) and URLs, hence the narrow alphabet. */
export const REGISTRY_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,62}$/;
/**
 * `mcp::<registry_id>::<server_name>[@<version>]`. The registry's own rule for names is
 * `^[a-zA-Z0-9.-]+/[a-zA-Z0-9._-]+$` (3–200 characters) and versions may be any string of up to 255;
 * names and versions are taken from third parties, so any visible ASCII is accepted (no `@` in a
 * name: it starts the version).
 */
const REGISTRY_CONNECTOR_ID =
  /^mcp::([a-z0-9][a-z0-9_-]{0,62})::([\x21-\x3f\x41-\x7e]{1,200})(?:@([\x21-\x7e]{1,255}))?$/;

/**
 * The MCP Registry's server name rule (`namespace/name`, exactly one `/`, 3–200 characters;
 * reference mcp-registry-openapi.yaml `ServerDetail.name`), which every name Patchbay serves at
 * `/v0.1` follows.
 */
export const REGISTRY_SERVER_NAME_PATTERN = /^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/;
export const MAX_REGISTRY_SERVER_NAME_LENGTH = 200;
/**
 * `server.registry_api.namespace`: the namespace half of that rule, at most 60 characters so that
 * `<namespace>/<connector_id>` (ids up to 128) stays within 200 with a disambiguating suffix.
 */
export const REGISTRY_NAMESPACE_PATTERN = /^[a-zA-Z0-9.-]{1,60}$/;

export interface RegistryConnectorId {
  registryId: string;
  serverName: string;
  /** Null: the latest version. */
  version: string | null;
}

/** The parts of a registry server's connector id, or null when `id` is not of that form. */
export function parseRegistryConnectorId(id: string): RegistryConnectorId | null {
  const match = REGISTRY_CONNECTOR_ID.exec(id);
  if (match === null) return null;
  return { registryId: match[1] ?? "", serverName: match[2] ?? "", version: match[3] ?? null };
}

interface IdentifierRule {
  maxLength: number;
  pattern: RegExp;
  /** What the id may hold, for a value that breaks `pattern`. */
  patternMessage: string;
}

/** Why `value` breaks `rule`, naming the first thing wrong, or null when it does not. */
function identifierProblem(value: string, rule: IdentifierRule): string | null {
  if (value === "") return "must not be empty";
  if (hasControlCharacter(value)) return "must not contain control characters (CR, LF, NUL, tab…)";
  if (value.trim() !== value) return "must not start or end with whitespace";
  if (value.length > rule.maxLength) return `must be at most ${rule.maxLength} characters long`;
  if (!rule.pattern.test(value)) return rule.patternMessage;
  return null;
}

function hasControlCharacter(value: string): boolean {
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

function identifierSchema(rule: IdentifierRule, extra?: (value: string) => string | null) {
  return z.string().superRefine((value, context) => {
    const problem = identifierProblem(value, rule) ?? extra?.(value) ?? null;
    if (problem !== null) context.addIssue({ code: "custom", message: problem });
  });
}

const CONNECTOR_ID_RULE: IdentifierRule = {
  maxLength: MAX_CONNECTOR_ID_LENGTH,
  pattern: CONNECTOR_ID,
  patternMessage: "may hold letters, digits and . _ - : / and must start with a letter or a digit",
};

const REGISTRY_CONNECTOR_ID_RULE: IdentifierRule = {
  maxLength: 526,
  pattern: REGISTRY_CONNECTOR_ID,
  patternMessage: "must have the form mcp::<registry_id>::<server_name>[@<version>]",
};

/** The id of a connector defined in run.yaml or through the admin API. */
export const ConnectorIdSchema = identifierSchema(CONNECTOR_ID_RULE, (value) =>
  value.startsWith(RESERVED_CONNECTOR_ID_PREFIX)
    ? `'${value}' is reserved for registry servers (${RESERVED_CONNECTOR_ID_PREFIX}<registry_id>::<server_name>)`
    : null,
);

/** An MCP registry's id. */
export const RegistryIdSchema = identifierSchema({
  maxLength: 63,
  pattern: REGISTRY_ID_PATTERN,
  patternMessage: `must match ${REGISTRY_ID_PATTERN.source}`,
});

/**
 * Any connector a caller may name (`tools[].connector_id`, `/v1/connectors/{connector_id}`): a
 * config or API connector's id, or a registry server's `mcp::<registry_id>::<server_name>[@v]`.
 */
export const ConnectorReferenceSchema = z.string().superRefine((value, context) => {
  const rule = value.startsWith(RESERVED_CONNECTOR_ID_PREFIX)
    ? REGISTRY_CONNECTOR_ID_RULE
    : CONNECTOR_ID_RULE;
  const problem = identifierProblem(value, rule);
  if (problem !== null) context.addIssue({ code: "custom", message: problem });
});
