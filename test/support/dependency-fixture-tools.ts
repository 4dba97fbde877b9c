/**
 * The five tools of Llama Stack's `dependency_tools()` MCP fixture (`tests/common/mcp.py`), whose
 * results feed each other: a user id is needed for permissions and file access, an experiment id
 * for results. Same names, arguments, tables and answers, so their multi-turn prompts port as-is.
 */
import { z } from "zod";
import { fixtureTool, type FixtureTool } from "./mcp-fixture-tools.js";

const USER_IDS: Record<string, string> = {
  alice: "user_12345",
  bob: "user_67890",
  charlie: "user_11111",
  admin: "user_00000",
};
const PERMISSIONS: Record<string, string> = {
  user_12345: "read,write",
  user_67890: "read",
  user_11111: "admin",
  user_00000: "superadmin",
  user_99999: "none",
};
const EXPERIMENT_IDS: Record<string, string> = {
  temperature_test: "exp_001",
  pressure_test: "exp_002",
  chemical_reaction: "exp_003",
  boiling_point: "exp_004",
};
const EXPERIMENT_RESULTS: Record<string, string> = {
  exp_001: "Temperature: 25°C, Status: Success",
  exp_002: "Pressure: 1.2 atm, Status: Success",
  exp_003: "Yield: 85%, Status: Complete",
  exp_004: "Boiling Point: 100°C, Status: Verified",
  exp_999: "No results found",
};

const text = (value: string) => ({ content: [{ type: "text" as const, text: value }] });

function fileAccess(permissions: string, filename: string): "yes" | "no" {
  if (permissions === "superadmin") return "yes";
  if (permissions === "admin") return filename.startsWith("secret_") ? "no" : "yes";
  if (permissions.includes("write")) return filename.endsWith(".txt") ? "yes" : "no";
  if (permissions.includes("read"))
    return filename.endsWith(".txt") || filename.endsWith(".md") ? "yes" : "no";
  return "no";
}

export function dependencyFixtureTools(): FixtureTool[] {
  return [
    fixtureTool({
      name: "get_user_id",
      description: "Get the user ID for a given username. This ID is needed for other operations.",
      input: { username: z.string() },
      run: (args) => text(USER_IDS[args.username.toLowerCase()] ?? "user_99999"),
    }),
    fixtureTool({
      name: "get_user_permissions",
      description: "Get the permissions for a user ID. Requires a valid user ID from get_user_id.",
      input: { user_id: z.string() },
      run: (args) => text(PERMISSIONS[args.user_id] ?? "none"),
    }),
    fixtureTool({
      name: "check_file_access",
      description: "Check if a user can access a specific file. Requires a valid user ID.",
      input: { user_id: z.string(), filename: z.string() },
      run: (args) => text(fileAccess(PERMISSIONS[args.user_id] ?? "none", args.filename)),
    }),
    fixtureTool({
      name: "get_experiment_id",
      description:
        "Get the experiment ID for a given experiment name. This ID is needed to get results.",
      input: { experiment_name: z.string() },
      run: (args) => text(EXPERIMENT_IDS[args.experiment_name.toLowerCase()] ?? "exp_999"),
    }),
    fixtureTool({
      name: "get_experiment_results",
      description:
        "Get the results for an experiment ID. Requires a valid experiment ID from get_experiment_id.",
      input: { experiment_id: z.string() },
      run: (args) => text(EXPERIMENT_RESULTS[args.experiment_id] ?? "Invalid experiment ID"),
    }),
  ];
}
