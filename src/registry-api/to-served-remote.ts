/**
 * A registry server's remote as Patchbay serves it again: the upstream metadata as mirrored, minus
 * the `value` and `default` of every input marked secret (issue 15 §4 "secrets never appear").
 */
import type {
  RegistryHeader,
  RegistryInput,
  RegistryRemote,
} from "../store/registry-server-entry.js";
import type { ServedHeader, ServedInput, ServedRemote } from "./served-server.js";

export function toServedRemote(remote: RegistryRemote): ServedRemote {
  const served: ServedRemote = { type: remote.type, url: remote.url };
  if (remote.headers.length > 0) served.headers = remote.headers.map(toServedHeader);
  const variables = toServedVariables(remote.variables);
  if (variables) served.variables = variables;
  return served;
}

function toServedHeader(header: RegistryHeader): ServedHeader {
  const served: ServedHeader = { name: header.name, ...toServedInput(header) };
  const variables = toServedVariables(header.variables);
  if (variables) served.variables = variables;
  return served;
}

function toServedVariables(
  variables: Record<string, RegistryInput>,
): Record<string, ServedInput> | null {
  const entries = Object.entries(variables);
  if (entries.length === 0) return null;
  return Object.fromEntries(entries.map(([name, input]) => [name, toServedInput(input)]));
}

function toServedInput(input: RegistryInput): ServedInput {
  const served: ServedInput = { isRequired: input.isRequired, isSecret: input.isSecret };
  if (input.description !== null) served.description = input.description;
  if (!input.isSecret && input.value !== null) served.value = input.value;
  if (!input.isSecret && input.default !== null) served.default = input.default;
  return served;
}
