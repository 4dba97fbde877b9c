/**
 * The check a stored conversation's metadata passes on every read, in every adapter
 * ([ADR 0018](../../docs/decisions/0018-stored-rows-checked-on-read.md)); its items are checked
 * like a response's input items (`storedItemCheck`).
 */
import * as z from "zod";
import type { StoredValueCheck } from "./read-stored-json.js";

const MetadataSchema = z.record(z.string(), z.string());

export const storedMetadataCheck: StoredValueCheck<Record<string, string>> = (json) =>
  MetadataSchema.parse(json);
