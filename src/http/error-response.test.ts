import { Writable } from "node:stream";
import { Hono } from "hono";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { UpstreamModelError } from "../errors/upstream-model-error.js";
import type { AppEnv } from "./app-env.js";
import { errorResponse } from "./error-response.js";

/** An app whose one route throws `error`, and the log records its error path wrote. */
async function failWith(error: unknown) {
  const records: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      records.push(JSON.parse(chunk.toString("utf8")) as Record<string, unknown>);
      callback();
    },
  });
  const logger = pino({ level: "info" }, sink);
  const app = new Hono<AppEnv>();
  app.use(async (c, next) => {
    c.set("logger", logger);
    await next();
  });
  app.get("/", () => {
    throw error;
  });
  app.onError((thrown, c) => errorResponse(c, thrown));
  const response = await app.request("/");
  return { response, records };
}

describe("errorResponse logging", () => {
  it("logs an unexpected failure with its stack, and answers a generic 500", async () => {
    const { response, records } = await failWith(new TypeError("cannot read 'x' of undefined"));
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({
      error: { message: "The server had an error while processing your request." },
    });
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ level: 50, msg: "request failed" });
    expect(records[0]?.err).toMatchObject({
      stack: expect.stringContaining("TypeError: cannot read"),
    });
  });

  it("logs an expected upstream failure in one line without a stack", async () => {
    const refused = new UpstreamModelError(
      "Could not connect to the model server at http://127.0.0.1:11434/v1: connect ECONNREFUSED",
      { kind: "connection", modelServer: "http://127.0.0.1:11434/v1" },
    );
    const { response, records } = await failWith(refused);
    expect(response.status).toBe(502);
    expect(records).toEqual([
      expect.objectContaining({
        level: 40,
        status: 502,
        code: "server_error",
        msg: expect.stringContaining(
          "Could not connect to the model server at http://127.0.0.1:11434/v1",
        ),
      }),
    ]);
    expect(records[0]).not.toHaveProperty("err");
  });
});
