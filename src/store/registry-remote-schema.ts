/**
 * The schema of the `remotes` a mirror row keeps, checked on every read in every adapter
 * ([ADR 0018](../../docs/decisions/0018-stored-rows-checked-on-read.md)). These are our own rows,
 * written from entries already parsed at the registry boundary, so the schema is strict and accepts
 * exactly the `RegistryRemote` shape; a compile-time check keeps the two in step.
 */
import * as z from "zod";
import type { RegistryHeader, RegistryInput, RegistryRemote } from "./registry-server-entry.js";

const RegistryInputSchema = z.strictObject({
  name: z.string(),
  description: z.string().nullable(),
  isRequired: z.boolean(),
  isSecret: z.boolean(),
  value: z.string().nullable(),
  default: z.string().nullable(),
});

const RegistryHeaderSchema = RegistryInputSchema.extend({
  variables: z.record(z.string(), RegistryInputSchema),
});

const RegistryRemoteSchema = z.strictObject({
  type: z.literal(["streamable-http", "sse"]),
  url: z.string(),
  headers: z.array(RegistryHeaderSchema),
  variables: z.record(z.string(), RegistryInputSchema),
});

/** A mirror row's remotes, in the order the registry listed them. */
export const RegistryRemotesSchema = z.array(RegistryRemoteSchema);

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<Condition extends true> = Condition;
type _InputMatches = Assert<Same<z.output<typeof RegistryInputSchema>, RegistryInput>>;
type _HeaderMatches = Assert<Same<z.output<typeof RegistryHeaderSchema>, RegistryHeader>>;
type _RemoteMatches = Assert<Same<z.output<typeof RegistryRemoteSchema>, RegistryRemote>>;
