import { describe, expect, it } from "vitest";
import { RegistryError } from "./registry-error.js";
import { toApiError } from "./to-api-error.js";

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

  it("passes on when a remembered registry outage ends as Retry-After", () => {
    const retryAt = Date.now() + 4_200;
    const error = toApiError(new RegistryError("down", { kind: "connection", retryAt }));
    expect(Number(error.headers["retry-after"])).toBeGreaterThanOrEqual(4);
    expect(Number(error.headers["retry-after"])).toBeLessThanOrEqual(5);
  });
});
