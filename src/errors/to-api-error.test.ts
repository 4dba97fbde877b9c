import { describe, expect, it } from "vitest";
import { ConnectorResolutionError, type ConnectorIdSource } from "./connector-resolution-error.js";
import { ManagedObjectError } from "./managed-object-error.js";
import { McpConnectionError } from "./mcp-connection-error.js";
import { RegistryError } from "./registry-error.js";
import { RegistrySyncError } from "./registry-sync-error.js";
import { toApiError } from "./to-api-error.js";
import { ToolListingError } from "./tool-listing-error.js";

describe("toApiError", () => {
  it("maps a RegistryError that escaped its route to 502 registry_error, not a generic 500", () => {
    const error = toApiError(new RegistryError("HTTP 503 Service Unavailable.", { kind: "http" }));
    expect(error.status).toBe(502);
    expect(error.toEnvelope().error).toEqual({
      type: "server_error",
      code: "registry_error",
      param: null,
      message: "MCP registry request failed: HTTP 503 Service Unavailable.",
    });
    expect(error.headers).toEqual({});
  });

  it("maps a forced sync the registry failed to 502 registry_error naming the registry", () => {
    const cause = new RegistryError("connect ECONNREFUSED", { kind: "connection" });
    const error = toApiError(new RegistrySyncError("public", cause));
    expect(error.status).toBe(502);
    expect(error.cause).toBeInstanceOf(RegistrySyncError);
    expect(error.toEnvelope().error).toEqual({
      type: "server_error",
      code: "registry_error",
      param: null,
      message: "Sync of registry 'public' failed: connect ECONNREFUSED",
    });
  });

  it("passes on when a remembered registry outage ends as Retry-After", () => {
    const retryAt = Date.now() + 4_200;
    const error = toApiError(new RegistryError("down", { kind: "connection", retryAt }));
    expect(Number(error.headers["retry-after"])).toBeGreaterThanOrEqual(4);
    expect(Number(error.headers["retry-after"])).toBeLessThanOrEqual(5);
  });

  it("answers an unknown connector id by where it came from: 400 in a body, 404 in a path", () => {
    const body: ConnectorIdSource = {
      in: "body",
      idParam: "tools[2].connector_id",
      headersParam: "tools[2].headers",
    };
    const path: ConnectorIdSource = {
      in: "path",
      idParam: "connector_id",
      headersParam: "connector_id",
    };
    expect(
      toApiError(new ConnectorResolutionError("nope", body, null)).toEnvelope().error,
    ).toMatchObject({ code: "unknown_connector", param: "tools[2].connector_id" });
    const fromPath = toApiError(new ConnectorResolutionError("nope", path, null));
    expect(fromPath.status).toBe(404);
    expect(fromPath.param).toBe("connector_id");
  });

  it("answers one listing failure by what it was listed for", () => {
    const refused = new McpConnectionError("Http status code: 401", { kind: "http", status: 401 });
    const forResponse = toApiError(
      new ToolListingError(refused, {
        for: "response",
        serverLabel: "gh",
        server: "connector_id 'github'",
      }),
    );
    expect(forResponse).toMatchObject({ status: 424, code: "http_error", param: "tools" });
    expect(forResponse.message).toBe(
      "Error retrieving tool list from MCP server: 'gh'. Http status code: 401 (connector_id 'github')",
    );
    const forTools = toApiError(
      new ToolListingError(refused, {
        for: "connector_tools",
        connectorId: "github",
        credentialsParam: "X-Connector-Authorization",
      }),
    );
    expect(forTools).toMatchObject({
      status: 401,
      type: "authentication_error",
      param: "X-Connector-Authorization",
    });
  });

  it.each([
    ["read_only", 409, "read_only", "connector_id"],
    ["already_exists", 409, "already_exists", "connector_id"],
    ["stale_revision", 412, "precondition_failed", "If-Match"],
    ["id_changed", 400, null, "connector_id"],
  ] as const)("maps a managed object's %s to %i", (failure, status, code, param) => {
    const error = toApiError(
      new ManagedObjectError(failure, { kind: "Connector", id: "x", idParam: "connector_id" }),
    );
    expect(error).toMatchObject({ status, code, param });
  });
});
