import {
  OFFICIAL_META_KEY,
  RegistryRemoteSchema,
  RemoteTypeSchema,
  ServerResponseSchema,
  type RegistryInputWire,
} from "./registry-response-schema.js";
import type {
  RegistryHeader,
  RegistryInput,
  RegistryRemote,
  RegistryServerEntry,
} from "./registry-types.js";

/**
 * One `ServerResponse` (`{server, _meta}`) → a `RegistryServerEntry`, or null when it cannot be
 * used. A bad entry never fails its page: the caller skips and counts it (issue 5 "tolerant
 * parsing"). Missing official meta means `active` (a subregistry may omit it); remotes of a
 * transport Patchbay does not speak are dropped, but a malformed streamable-http/sse remote makes
 * the whole entry bad rather than silently losing its endpoint or a required header.
 */
export function parseRegistryEntry(raw: unknown): RegistryServerEntry | null {
  const parsed = ServerResponseSchema.safeParse(raw);
  if (!parsed.success) return null;
  const { server, _meta: meta } = parsed.data;
  const remotes = parseRemotes(server.remotes ?? []);
  if (remotes === null) return null;
  const official = meta?.[OFFICIAL_META_KEY] ?? null;
  return {
    name: server.name,
    version: server.version,
    title: server.title ?? null,
    description: server.description ?? null,
    remotes,
    hasPackages: (server.packages ?? []).length > 0,
    status: official?.status ?? "active",
    statusMessage: official?.statusMessage ?? null,
    publishedAt: official?.publishedAt ?? null,
    updatedAt: official?.updatedAt ?? null,
    isLatest: official?.isLatest ?? null,
  };
}

function parseRemotes(raw: unknown[]): RegistryRemote[] | null {
  const remotes: RegistryRemote[] = [];
  for (const element of raw) {
    // One parse for the usual well-formed remote; the type alone is read only when that fails.
    const remote = RegistryRemoteSchema.safeParse(element);
    if (!remote.success) {
      if (RemoteTypeSchema.safeParse(element).success) return null;
      continue;
    }
    const { type, url, headers, variables } = remote.data;
    remotes.push({
      type,
      url,
      headers: (headers ?? []).map((header): RegistryHeader => ({
        ...toInput(header.name, header),
        variables: toInputs(header.variables ?? {}),
      })),
      variables: toInputs(variables ?? {}),
    });
  }
  return remotes;
}

function toInputs(wire: Record<string, RegistryInputWire>): Record<string, RegistryInput> {
  return Object.fromEntries(
    Object.entries(wire).map(([name, input]) => [name, toInput(name, input)]),
  );
}

function toInput(name: string, wire: RegistryInputWire): RegistryInput {
  return {
    name,
    description: wire.description ?? null,
    isRequired: wire.isRequired ?? false,
    isSecret: wire.isSecret ?? false,
    value: wire.value ?? null,
    default: wire.default ?? null,
  };
}
