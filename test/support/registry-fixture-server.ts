import { EventEmitter } from "node:events";
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import { listenOnLoopback } from "./listen-on-loopback.js";
import {
  loadRegistrySeed,
  type FixtureServer,
  type FixtureStatus,
} from "./registry-fixture-entries.js";
import {
  isFixtureProblem,
  parseFixtureListQuery,
  type FixtureProblem,
} from "./registry-fixture-query.js";
import { RegistryFixtureStore } from "./registry-fixture-store.js";
import { sendChunked, sendJson, sendText } from "./send-fixture-response.js";
import { waitForChange } from "./wait-for-change.js";

export {
  fixtureEntry,
  loadRegistrySeed,
  type FixtureEntryOptions,
  type FixtureRemote,
  type FixtureServer,
  type FixtureStatus,
  type ServerJson,
} from "./registry-fixture-entries.js";

/** A canned answer for the next requests: any status/body, or no answer at all. */
export type FixtureFault =
  | {
      status: number;
      headers?: Record<string, string>;
      /** A string is sent as is (e.g. `{not json`); anything else as JSON. Default: an error body. */
      body?: unknown;
      /** Send the body in pieces without `content-length` (chunked transfer encoding). */
      chunked?: boolean;
    }
  /** Held open until the client gives up or the fixture closes. */
  | { hang: true };

export interface FixtureRequest {
  method: string;
  /** The raw path, still percent-encoded (`/v0.1/servers/io.x%2Fy/versions/latest`). */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
}

export interface RegistryFixtureOptions {
  /** Default: the real 358-server seed of 2025-09-29. */
  servers?: FixtureServer[];
}

/**
 * A real HTTP server on 127.0.0.1:0 that behaves like the official MCP Registry (reference
 * mcp-registry-api.md §1): `/v0.1` and `/v0` list, detail and versions routes, huma-style problem+json
 * errors (or the OpenAPI's `{"error"}` shape), 422 on an out-of-range `limit`, `name:version`
 * cursors, `%2F`-encoded names, `updated_since`/`include_deleted`/`version`/`search` semantics, plus
 * fault controls for tests (STYLE.md "Tests: real peers").
 */
export class RegistryFixture {
  readonly requests: FixtureRequest[] = [];
  errorShape: "problem" | "legacy" = "problem";
  /** `"empty"`: never ends (an empty page still has a cursor); `"repeat"`: the same page and cursor forever. */
  endlessPagination: false | "empty" | "repeat" = false;
  /** Requests it matches are held open unanswered (a crawl stuck mid-way) until the client leaves. */
  holdWhen: ((request: FixtureRequest) => boolean) | null = null;
  readonly #store = new RegistryFixtureStore();
  readonly #faults: FixtureFault[] = [];
  readonly #changes = new EventEmitter();
  readonly #held = new Set<ServerResponse>();
  readonly #server: Server;
  #port = 0;

  private constructor(servers: FixtureServer[]) {
    this.#store.replaceAll(servers);
    this.#server = createServer((request, response) => this.#handle(request, response));
  }

  static async start(options: RegistryFixtureOptions = {}): Promise<RegistryFixture> {
    const fixture = new RegistryFixture(options.servers ?? loadRegistrySeed());
    await fixture.#listen(0);
    return fixture;
  }

  /** The base URL (no `/v0.1`), as a registry's `url` in run.yaml. */
  get url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  /** Rows held, deleted ones included. */
  get size(): number {
    return this.#store.size;
  }

  setServers(servers: FixtureServer[]): void {
    this.#store.replaceAll(servers);
  }

  upsert(entry: FixtureServer): void {
    this.#store.upsert(entry);
  }

  remove(name: string, version: string): boolean {
    return this.#store.remove(name, version);
  }

  /** Like `PATCH …/status`: changes the status and bumps `updatedAt` to now. */
  setStatus(name: string, version: string, status: FixtureStatus, message?: string): void {
    this.#store.setStatus(name, version, status, message);
  }

  failNext(count: number, fault: FixtureFault): void {
    for (let index = 0; index < count; index += 1) this.#faults.push(fault);
  }

  /** Resolves once `count` requests have arrived in total. */
  waitForRequests(count: number): Promise<void> {
    return waitForChange(this.#changes, "request", () => this.requests.length >= count);
  }

  /** Stops listening and drops every connection: new requests are refused (ECONNREFUSED). */
  async down(): Promise<void> {
    if (!this.#server.listening) return;
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    for (const response of this.#held) response.destroy();
    this.#server.closeAllConnections();
    await closed;
  }

  /** Listens again on the same port. */
  async up(): Promise<void> {
    if (!this.#server.listening) await this.#listen(this.#port);
  }

  close(): Promise<void> {
    return this.down();
  }

  async #listen(port: number): Promise<void> {
    this.#port = await listenOnLoopback(this.#server, port);
  }

  #handle(request: IncomingMessage, response: ServerResponse): void {
    const target = request.url ?? "";
    const mark = target.indexOf("?");
    const rawPath = mark < 0 ? target : target.slice(0, mark);
    const rawQuery = mark < 0 ? "" : target.slice(mark + 1);
    const parameters = new URLSearchParams(rawQuery);
    this.requests.push({
      method: request.method ?? "",
      path: rawPath,
      query: Object.fromEntries(parameters),
      headers: request.headers,
    });
    this.#changes.emit("request");
    if (this.holdWhen?.(this.requests.at(-1)!) === true)
      return this.#sendFault({ hang: true }, response);
    const fault = this.#faults.shift();
    if (fault !== undefined) return this.#sendFault(fault, response);
    if (rawPath.length > 1 && rawPath.endsWith("/")) {
      response.writeHead(308, {
        location: rawPath.slice(0, -1) + (rawQuery ? `?${rawQuery}` : ""),
      });
      return void response.end();
    }
    if (request.method !== "GET") {
      const detail = "Method not allowed";
      return this.#problem(response, { status: 405, title: "Method Not Allowed", detail });
    }
    const answer = this.#route(rawPath, parameters);
    if ("problem" in answer) return this.#problem(response, answer.problem);
    sendJson(response, 200, answer.body);
  }

  /** Path segments are split before decoding, so a raw `/` inside a name finds no route. */
  #route(
    rawPath: string,
    parameters: URLSearchParams,
  ): { body: object } | { problem: FixtureProblem } {
    const [root, prefix, servers, encodedName, versions, encodedVersion, ...rest] =
      rawPath.split("/");
    const known = root === "" && (prefix === "v0.1" || prefix === "v0") && servers === "servers";
    const shaped = encodedName === undefined || (versions === "versions" && rest.length === 0);
    if (!known || !shaped) {
      return { problem: { status: 404, title: "Not Found", detail: `No route for ${rawPath}` } };
    }
    if (encodedName === undefined) return this.#list(parameters);
    const name = decode(encodedName);
    const version = encodedVersion === undefined ? undefined : decode(encodedVersion);
    if (name === null || version === null) {
      return { problem: { status: 400, title: "Bad Request", detail: "Invalid URL encoding" } };
    }
    const includeDeleted = parameters.get("include_deleted") === "true";
    const body =
      version === undefined
        ? this.#listVersions(name, includeDeleted)
        : this.#store.detail(name, version, includeDeleted);
    if (body === null) {
      return { problem: { status: 404, title: "Not Found", detail: "Server not found" } };
    }
    return { body };
  }

  #list(parameters: URLSearchParams): { body: object } | { problem: FixtureProblem } {
    const query = parseFixtureListQuery(parameters);
    if (isFixtureProblem(query)) return { problem: query };
    const page = this.#store.list(
      this.endlessPagination === "repeat" ? { ...query, cursor: null } : query,
    );
    const nextCursor =
      this.endlessPagination === false
        ? page.nextCursor
        : (page.nextCursor ?? page.lastCursor ?? query.cursorText ?? "~endless:0");
    const count = page.items.length;
    const metadata = nextCursor === null ? { count } : { nextCursor, count };
    return { body: { servers: page.items, metadata } };
  }

  #listVersions(name: string, includeDeleted: boolean): object | null {
    const servers = this.#store.versions(name, includeDeleted);
    return servers === null ? null : { servers, metadata: { count: servers.length } };
  }

  /** huma's RFC 9457 body, or the OpenAPI's `{"error":"…"}` when `errorShape` is `"legacy"`. */
  #problem(
    response: ServerResponse,
    problem: FixtureProblem,
    headers: Record<string, string> = {},
  ): void {
    if (this.errorShape === "legacy") {
      return sendJson(response, problem.status, { error: problem.detail }, headers);
    }
    const problemHeaders = { "content-type": "application/problem+json", ...headers };
    sendJson(response, problem.status, problem, problemHeaders);
  }

  #sendFault(fault: FixtureFault, response: ServerResponse): void {
    if ("hang" in fault) {
      this.#held.add(response);
      response.on("close", () => this.#held.delete(response));
      return;
    }
    const { status, headers = {}, body } = fault;
    if (body === undefined) {
      const problem = { status, title: "Injected failure", detail: `Injected failure ${status}` };
      return this.#problem(response, problem, headers);
    }
    const text = typeof body === "string" ? body : JSON.stringify(body);
    const allHeaders = { "content-type": "application/json", ...headers };
    if (fault.chunked) sendChunked(response, status, text, allHeaders);
    else sendText(response, status, text, allHeaders);
  }
}

/** Starts a registry fixture (see `RegistryFixture`). */
export function startRegistryFixture(
  options: RegistryFixtureOptions = {},
): Promise<RegistryFixture> {
  return RegistryFixture.start(options);
}

function decode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}
