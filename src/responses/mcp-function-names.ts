/**
 * Names under which MCP tools are shown to the model as functions. A tool keeps its own name when
 * that is a valid, unique function name; otherwise it becomes `<server_label>__<tool>` (sanitised,
 * de-duplicated), so names never collide with each other or with the request's function tools.
 */
import { FUNCTION_NAME } from "./tool-schema.js";

export interface McpFunctionTarget {
  serverLabel: string;
  toolName: string;
}

export class McpFunctionNames {
  private readonly byFunction = new Map<string, McpFunctionTarget>();
  private readonly byTool = new Map<string, string>();

  constructor(
    servers: ReadonlyArray<{ serverLabel: string; toolNames: readonly string[] }>,
    reserved: ReadonlySet<string>,
  ) {
    const counts = new Map<string, number>();
    for (const server of servers)
      for (const name of server.toolNames) counts.set(name, (counts.get(name) ?? 0) + 1);
    const taken = new Set(reserved);
    for (const server of servers) {
      for (const toolName of server.toolNames) {
        let candidate =
          FUNCTION_NAME.test(toolName) && counts.get(toolName) === 1 && !taken.has(toolName)
            ? toolName
            : qualified(server.serverLabel, toolName);
        for (let suffix = 2; taken.has(candidate); suffix++)
          candidate = `${qualified(server.serverLabel, toolName).slice(0, 60)}_${suffix}`;
        taken.add(candidate);
        this.byFunction.set(candidate, { serverLabel: server.serverLabel, toolName });
        this.byTool.set(key(server.serverLabel, toolName), candidate);
      }
    }
  }

  /** The MCP tool behind a function name the model called, if any. */
  target(functionName: string): McpFunctionTarget | undefined {
    return this.byFunction.get(functionName);
  }

  /** The function name for an MCP tool (also for tools of earlier turns no longer listed). */
  functionName(serverLabel: string, toolName: string): string {
    return this.byTool.get(key(serverLabel, toolName)) ?? qualified(serverLabel, toolName);
  }
}

function qualified(serverLabel: string, toolName: string): string {
  return `${serverLabel}__${toolName}`.replace(/[^a-zA-Z0-9_-]/g, "_").slice(0, 64);
}

function key(serverLabel: string, toolName: string): string {
  return `${serverLabel}\u0000${toolName}`;
}
