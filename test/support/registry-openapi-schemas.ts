/**
 * The official MCP Registry OpenAPI document (test/fixtures/registry/mcp-registry-openapi.yaml)
 * compiled with Ajv's JSON Schema 2020-12 dialect (the document's `jsonSchemaDialect`) and its
 * formats, so a test can check any `/v0.1` answer against the schema the official registry
 * declares for it. Unknown OpenAPI keywords (`example`) are allowed; nothing else is relaxed.
 */
import { readFileSync } from "node:fs";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { parse } from "yaml";

const DOCUMENT_ID = "registry-openapi";
const document = parse(
  readFileSync(new URL("../fixtures/registry/mcp-registry-openapi.yaml", import.meta.url), "utf8"),
) as Record<string, unknown>;

const ajv = new Ajv2020({ strict: false, allErrors: true });
// ajv-formats is CommonJS: from ESM its plugin is the module's `default` property.
addFormatsModule.default(ajv);
ajv.addSchema({ ...document, $id: DOCUMENT_ID });

function compile(pointer: string): ValidateFunction {
  return ajv.compile({ $ref: `${DOCUMENT_ID}#${pointer}` });
}

const escape = (segment: string) => segment.replace(/~/g, "~0").replace(/\//g, "~1");
const responsePointer = (path: string, status: string, type = "application/json") =>
  ["", "paths", path, "get", "responses", status, "content", type, "schema"].map(escape).join("/");

export const registrySchemas = {
  /** `GET /v0.1/servers` and `…/versions`: 200. */
  serverList: compile("/components/schemas/ServerList"),
  /** `GET /v0.1/servers/{serverName}/versions/{version}`: 200. */
  serverResponse: compile("/components/schemas/ServerResponse"),
  /** `GET …/versions/{version}`: 404 (`{error}`). */
  versionNotFound: compile(responsePointer("/v0.1/servers/{serverName}/versions/{version}", "404")),
  /** `GET …/versions`: 404 (`{error}`). */
  serverNotFound: compile(responsePointer("/v0.1/servers/{serverName}/versions", "404")),
};

/** The validator's errors as text, for an assertion message. */
export function schemaErrors(validate: ValidateFunction, body: unknown): string[] {
  return validate(body)
    ? []
    : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message ?? ""}`);
}
