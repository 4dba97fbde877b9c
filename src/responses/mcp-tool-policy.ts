/**
 * Per-tool decisions for an `mcp` tool: which listed tools are imported (`allowed_tools`) and which
 * calls need approval (`require_approval`), per reference §1 and PRODUCT.md §8.11–§8.12.
 */
import type { McpListedTool } from "./response-types.js";
import type { RequireApproval, ToolFilter } from "./tool-types.js";

function matches(filter: ToolFilter, tool: McpListedTool): boolean {
  if (filter.tool_names !== undefined && !filter.tool_names.includes(tool.name)) return false;
  if (filter.read_only !== undefined && (tool.annotations?.read_only ?? false) !== filter.read_only)
    return false;
  return true;
}

/** `allowed_tools`: a name list, or a filter whose `tool_names` and `read_only` must both hold. */
export function isToolAllowed(allowed: string[] | ToolFilter | null, tool: McpListedTool): boolean {
  if (allowed === null) return true;
  if (Array.isArray(allowed)) return allowed.includes(tool.name);
  return matches(allowed, tool);
}

/**
 * `always` wins when both filters match; a `never` match skips approval; an unmatched tool needs
 * approval unless only `always` was given (PRODUCT.md §8.11).
 */
export function requiresApproval(policy: RequireApproval, tool: McpListedTool): boolean {
  if (policy === "always") return true;
  if (policy === "never") return false;
  if (policy.always && matches(policy.always, tool)) return true;
  if (policy.never && matches(policy.never, tool)) return false;
  return policy.never !== undefined || policy.always === undefined;
}

/** `scheme://host[:port]/<redacted>` (reference §5.4, PRODUCT.md §8.4). */
export function redactServerUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}/<redacted>`;
}

type LooseFilter = { tool_names?: string[] | undefined; read_only?: boolean | undefined };

function toFilter(filter: LooseFilter): ToolFilter {
  return {
    ...(filter.tool_names !== undefined ? { tool_names: filter.tool_names } : {}),
    ...(filter.read_only !== undefined ? { read_only: filter.read_only } : {}),
  };
}

/** Drops absent keys so the policy echoes exactly as given (OpenAI's filter shape). */
export function toAllowedTools(
  allowed: string[] | LooseFilter | null | undefined,
): string[] | ToolFilter | null {
  if (allowed == null) return null;
  return Array.isArray(allowed) ? allowed : toFilter(allowed);
}

export function toRequireApproval(
  policy:
    | "always"
    | "never"
    | { always?: LooseFilter | undefined; never?: LooseFilter | undefined }
    | null
    | undefined,
): RequireApproval | null {
  if (policy == null) return null;
  if (typeof policy === "string") return policy;
  return {
    ...(policy.always !== undefined ? { always: toFilter(policy.always) } : {}),
    ...(policy.never !== undefined ? { never: toFilter(policy.never) } : {}),
  };
}
