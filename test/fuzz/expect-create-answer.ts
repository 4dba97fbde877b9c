/**
 * The checks for one `POST /v1/responses` answer under fuzzing: a 4xx is an envelope whose 400
 * `param` points into the request; a 2xx is a well-formed Response (JSON) or a well-formed SSE
 * stream that ends in `response.completed`/`response.incomplete`. With a scripted model that
 * always answers, a `response.failed` or a `failed` status is a server fault in disguise.
 */
import { CreateResponseRequestSchema } from "../../src/responses/create-response-request.js";
import {
  describeAnswer,
  expectNoServerError,
  expectParamPath,
  isRecord,
  type ErrorBody,
  type HttpAnswer,
} from "./http-answer.js";

const SCHEMA_KEYS: readonly string[] = Object.keys(CreateResponseRequestSchema.shape);
const RESPONSE_ID = /^resp_[A-Za-z0-9_-]{24,}$/;

/** Returns the error for a 4xx (already checked), or null for a success (already checked). */
export function expectCreateAnswer(
  answer: HttpAnswer,
  bodyKeys: readonly string[] = [],
): ErrorBody | null {
  const error = expectNoServerError(answer);
  if (error !== null) {
    if (answer.status === 400) expectParamPath(error, [...SCHEMA_KEYS, ...bodyKeys]);
    return error;
  }
  if (answer.status !== 200)
    throw new Error(`unexpected success status: ${describeAnswer(answer)}`);
  if ((answer.headers.get("content-type") ?? "").startsWith("text/event-stream")) {
    expectWellFormedStream(answer);
  } else {
    expectResponseObject(answer);
  }
  return null;
}

function expectResponseObject(answer: HttpAnswer): void {
  const body: unknown = JSON.parse(answer.text);
  if (
    !isRecord(body) ||
    body.object !== "response" ||
    typeof body.id !== "string" ||
    !RESPONSE_ID.test(body.id)
  ) {
    throw new Error(`2xx body is not a Response object: ${describeAnswer(answer)}`);
  }
  if (!["completed", "incomplete", "queued"].includes(String(body.status))) {
    throw new Error(`Response ended '${String(body.status)}': ${describeAnswer(answer)}`);
  }
}

function expectWellFormedStream(answer: HttpAnswer): void {
  const blocks = answer.text.split("\n\n").filter((block) => block.trim() !== "");
  const types = blocks.map((block, position) => {
    const match = /^event: (\S+)\ndata: (.*)$/s.exec(block);
    if (!match) throw new Error(`malformed SSE block ${position}: ${JSON.stringify(block)}`);
    const data: unknown = JSON.parse(match[2]!);
    if (!isRecord(data) || data.type !== match[1] || data.sequence_number !== position) {
      throw new Error(`SSE event ${position} has the wrong type or sequence_number: ${block}`);
    }
    return match[1]!;
  });
  const last = types.at(-1);
  if (
    types[0] !== "response.created" ||
    (last !== "response.completed" && last !== "response.incomplete")
  ) {
    throw new Error(`stream events ${types.join(" → ")}: ${describeAnswer(answer)}`);
  }
}
