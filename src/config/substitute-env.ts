/** Environment visible to the config: `main.ts` passes `process.env`, tests pass a plain object. */
export type ConfigEnv = Readonly<Record<string, string | undefined>>;

/** Substituted tree plus every problem found, so all of them can be reported at once. */
export interface SubstituteEnvResult {
  /** The input with every `${env...}` inside its strings replaced (same shape otherwise). */
  value: unknown;
  /** One message per unset `${env.NAME}`, prefixed by the dotted path of the string holding it. */
  issues: string[];
  /** The paths of those strings, so a consequence (an empty key, a bad URL) is not reported too. */
  unsetPaths: string[];
}

const ENV_REFERENCE = /\$\{env\.([A-Za-z_][A-Za-z0-9_]*)(?::([=+])([^}]*))?\}/g;

/**
 * Replaces Llama Stack env references inside the string values of a parsed YAML tree, so a
 * Llama Stack `run.yaml` loads unchanged (PRODUCT.md §2):
 * - `${env.NAME}`: the value; unset is an issue naming the variable and the path.
 * - `${env.NAME:=default}`: the value, or `default` when unset or empty.
 * - `${env.NAME:+alt}`: `alt` when set and non-empty, else the empty string.
 *
 * Works on the parsed tree rather than the raw text so that an issue can name its path and a
 * substituted value can never break the YAML syntax. Results stay strings (an empty one too);
 * the schema decides what `""` or `"8321"` means for each field. Keys are never substituted.
 *
 * @param path Path of `value` in the document (`providers.inference[0]`), used as issue prefix.
 */
export function substituteEnv(value: unknown, env: ConfigEnv, path = ""): SubstituteEnvResult {
  const issues: string[] = [];
  const unsetPaths: string[] = [];
  const substituted = walk(value, path, env, { issues, unsetPaths });
  return { value: substituted, issues, unsetPaths };
}

interface Findings {
  issues: string[];
  unsetPaths: string[];
}

function walk(value: unknown, path: string, env: ConfigEnv, findings: Findings): unknown {
  if (typeof value === "string") {
    return substituteString(value, path, env, findings);
  }
  if (Array.isArray(value)) {
    return value.map((item: unknown, index) => walk(item, `${path}[${index}]`, env, findings));
  }
  if (isPlainObject(value)) {
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      result[key] = walk(item, path === "" ? key : `${path}.${key}`, env, findings);
    }
    return result;
  }
  return value;
}

function substituteString(text: string, path: string, env: ConfigEnv, findings: Findings): string {
  return text.replace(
    ENV_REFERENCE,
    (_match, name: string, operator: string | undefined, operand: string | undefined) => {
      const current = env[name];
      const isSetAndNonEmpty = current !== undefined && current !== "";
      if (operator === "=") {
        return isSetAndNonEmpty ? current : (operand ?? "");
      }
      if (operator === "+") {
        return isSetAndNonEmpty ? (operand ?? "") : "";
      }
      if (current === undefined) {
        const prefix = path === "" ? "" : `${path}: `;
        findings.issues.push(`${prefix}environment variable '${name}' is not set`);
        if (!findings.unsetPaths.includes(path)) findings.unsetPaths.push(path);
        return "";
      }
      return current;
    },
  );
}

/** True for the mappings `yaml` produces (and object literals), false for arrays, null, class instances. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return false;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
