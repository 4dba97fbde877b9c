/**
 * The admin plane's create, update and delete commands (PRODUCT.md §6, §8.10), one shape for
 * connectors and registries. Create/update print the stored object and its `ETag`, which
 * `--if-match` takes back for optimistic concurrency (412 when someone changed it meanwhile).
 */
import { JsonObjectSchema } from "./api-schemas.js";
import { fieldOptions, readBody, type BodyField } from "./body-fields.js";
import type { CliCommand } from "./command.js";
import { parseAnswer } from "./parse-answer.js";

/** One kind of managed object: its admin collection and the flags that build its body. */
export interface AdminObjectKind {
  group: CliCommand["group"];
  /** `connector`: names the object in help, messages and malformed-answer errors. */
  noun: string;
  /** `/v1/admin/connectors`. */
  collection: string;
  /** The id flag, given to create only (the id never changes). */
  idField: BodyField;
  /** The flags of create and update, in help order; `url` is required on create. */
  fields: readonly BodyField[];
}

/** A command's name and help summary. */
interface CommandText {
  name: string;
  summary: string;
}

/** The three write commands of `kind`; `remove.done` is the past tense printed on success. */
export function adminWriteCommands(
  kind: AdminObjectKind,
  text: { create: CommandText; update: CommandText; remove: CommandText & { done: string } },
): { create: CliCommand; update: CliCommand; remove: CliCommand } {
  const ifMatch = {
    type: "string",
    value: "ETAG",
    description: `only if the ${kind.noun} still has this ETag (else 412)`,
  } as const;
  const createFields = [kind.idField, ...kind.fields];
  return {
    create: {
      group: kind.group,
      name: text.create.name,
      summary: text.create.summary,
      arguments: [],
      options: fieldOptions(createFields),
      async run({ options, client, output }) {
        const body = await readBody(options, createFields, [kind.idField.flag, "url"]);
        const response = await client.request({ method: "POST", path: kind.collection, body });
        output.record(parseAnswer(JsonObjectSchema, response.body, kind.noun), {
          etag: response.etag,
        });
      },
    },
    update: {
      group: kind.group,
      name: text.update.name,
      summary: text.update.summary,
      arguments: ["id"],
      options: { ...fieldOptions(kind.fields), "if-match": ifMatch },
      async run({ args, options, client, output }) {
        const body = await readBody(options, kind.fields, []);
        const response = await client.request({
          method: "PATCH",
          path: adminObjectPath(kind, args[0]),
          body,
          headers: { "if-match": options.string("if-match") },
        });
        output.record(parseAnswer(JsonObjectSchema, response.body, kind.noun), {
          etag: response.etag,
        });
      },
    },
    remove: {
      group: kind.group,
      name: text.remove.name,
      summary: text.remove.summary,
      arguments: ["id"],
      options: { "if-match": ifMatch },
      async run({ args, options, client, output }) {
        const response = await client.request({
          method: "DELETE",
          path: adminObjectPath(kind, args[0]),
          headers: { "if-match": options.string("if-match") },
        });
        output.message(response.body, `${text.remove.done} ${kind.noun} ${args[0] ?? ""}`);
      },
    },
  };
}

/** `<collection>/{id}` with the whole id percent-encoded (PRODUCT.md §8.9). */
export function adminObjectPath(kind: AdminObjectKind, id: string | undefined): string {
  return `${kind.collection}/${encodeURIComponent(id ?? "")}`;
}
