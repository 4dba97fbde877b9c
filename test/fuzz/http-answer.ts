/**
 * What a fuzz case checks in every answer (issue 7 "Hostile input"): never a 5xx, never a hang,
 * and every 4xx in OpenAI's envelope `{"error":{"message","type","param","code"}}` with exactly
 * those keys. Failures throw plain errors that carry the answer, so fast-check's report shows it
 * next to the shrunk counterexample.
 */
import type { ErrorEnvelope } from "../../src/errors/api-error.js";

/** Longer than any legitimate answer here (the scripted model answers at once). */
export const ANSWER_TIMEOUT_MS = 15_000;

export interface HttpAnswer {
  status: number;
  headers: Headers;
  text: string;
}

export type ErrorBody = ErrorEnvelope["error"];

/** `fetch` with a deadline: a hang is reported as such, not as a vitest timeout. */
export async function send(url: string, init: RequestInit): Promise<HttpAnswer> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS) });
    return { status: response.status, headers: response.headers, text: await response.text() };
  } catch (error) {
    throw new Error(`${init.method ?? "GET"} ${url}: no complete answer (hang or reset)`, {
      cause: error,
    });
  }
}

export function describeAnswer(answer: HttpAnswer): string {
  const text = answer.text.length > 600 ? `${answer.text.slice(0, 600)}…` : answer.text;
  return `HTTP ${answer.status} ${answer.headers.get("content-type") ?? "(no content-type)"}: ${text}`;
}

/** Throws unless the answer is a 2xx or 3xx (nothing more to check) or a 4xx envelope. */
export function expectNoServerError(answer: HttpAnswer): ErrorBody | null {
  if (answer.status >= 500) throw new Error(`server error: ${describeAnswer(answer)}`);
  if (answer.status < 400) return null;
  return expectEnvelope(answer);
}

export function expectEnvelope(answer: HttpAnswer): ErrorBody {
  const problem = envelopeProblem(answer);
  if (problem !== null) throw new Error(`${problem}: ${describeAnswer(answer)}`);
  return (JSON.parse(answer.text) as ErrorEnvelope).error;
}

function envelopeProblem(answer: HttpAnswer): string | null {
  if (!/^application\/json\b/.test(answer.headers.get("content-type") ?? "")) {
    return "error body is not JSON";
  }
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    return "error body does not parse";
  }
  if (!isRecord(body) || Object.keys(body).join() !== "error" || !isRecord(body.error)) {
    return "error body is not {error:{…}}";
  }
  const error = body.error;
  if (Object.keys(error).sort().join() !== "code,message,param,type") {
    return "error object does not have exactly message, type, param, code";
  }
  if (typeof error.message !== "string" || error.message === "") return "error.message";
  if (typeof error.type !== "string" || error.type === "") return "error.type";
  if (error.param !== null && typeof error.param !== "string") return "error.param";
  if (error.code !== null && typeof error.code !== "string") return "error.code";
  return null;
}

/**
 * Under `/v0.1` (the catalog served as an MCP Registry, ADR 0024) a 4xx is the registry's RFC 9457
 * problem instead: `title`, `status` (the answer's), `detail` and `error` (the same text).
 */
export function expectRegistryProblem(answer: HttpAnswer): void {
  if (answer.status >= 500) throw new Error(`server error: ${describeAnswer(answer)}`);
  if (answer.status < 400) return;
  if (!/^application\/problem\+json\b/.test(answer.headers.get("content-type") ?? "")) {
    throw new Error(`registry error body is not a problem: ${describeAnswer(answer)}`);
  }
  const body: unknown = JSON.parse(answer.text);
  if (
    !isRecord(body) ||
    typeof body.title !== "string" ||
    body.status !== answer.status ||
    typeof body.detail !== "string" ||
    body.error !== body.detail
  ) {
    throw new Error(
      `registry problem lacks title, status, detail or error: ${describeAnswer(answer)}`,
    );
  }
}

/**
 * A 400's `param` is null or a field path (`tools[0].name`) whose first segment is a request
 * field: one of `roots` (the schema's keys and the body's own keys).
 */
export function expectParamPath(error: ErrorBody, roots: Iterable<string>): void {
  const param = error.param;
  if (param === null) return;
  for (const root of roots) {
    if (param === root || param.startsWith(`${root}.`) || param.startsWith(`${root}[`)) return;
  }
  throw new Error(`param '${param}' is not a path into the request (${error.message})`);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
