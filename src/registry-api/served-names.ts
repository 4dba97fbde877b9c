/**
 * How connectors get their served registry names (issue 15 §4; README "Patchbay as an MCP
 * registry"). Config and admin connectors are `<namespace>/<connector_id>`; a connector id holding
 * characters the registry's name rule refuses (`:` or `/`) has each replaced by `_` and a short
 * digest of the id appended, so two ids never fold into one name. Registry servers keep their
 * upstream name. When two candidates want one name, the first in priority order (config, then
 * admin, then registries by id) keeps it and each later one is served as `<name>--<registry_id>`;
 * a candidate whose name is still taken, or breaks the rule, is not served.
 */
import { createHash } from "node:crypto";
import {
  MAX_REGISTRY_SERVER_NAME_LENGTH,
  REGISTRY_SERVER_NAME_PATTERN,
} from "../connectors/connector-ids.js";

const NAME_PART_REFUSED = /[^a-zA-Z0-9._-]/g;

/** `<namespace>/<connector_id>`, folded into the registry's name rule. */
export function localServerName(namespace: string, connectorId: string): string {
  const part = connectorId.replace(NAME_PART_REFUSED, "_");
  if (part === connectorId) return `${namespace}/${part}`;
  const digest = createHash("sha256").update(connectorId).digest("hex").slice(0, 8);
  return `${namespace}/${part}-${digest}`;
}

export interface NameCandidate {
  /** The name the candidate asks for. */
  preferred: string;
  /** The registry it was mirrored from; null for config and admin connectors. */
  registryId: string | null;
}

/**
 * The served name of each candidate, in the order given (their priority), or null for one that
 * cannot be served under a valid, unused name.
 */
export function assignServedNames(candidates: readonly NameCandidate[]): (string | null)[] {
  const taken = new Set<string>();
  return candidates.map((candidate) => {
    const options = [candidate.preferred];
    if (candidate.registryId !== null)
      options.push(`${candidate.preferred}--${candidate.registryId}`);
    const name = options.find((option) => isServableName(option) && !taken.has(option));
    if (name === undefined) return null;
    taken.add(name);
    return name;
  });
}

export function isServableName(name: string): boolean {
  return (
    name.length >= 3 &&
    name.length <= MAX_REGISTRY_SERVER_NAME_LENGTH &&
    REGISTRY_SERVER_NAME_PATTERN.test(name)
  );
}
