/**
 * `ClusterLocks` on PostgreSQL (issue 13 §3, §5; ADR 0029): a session advisory lock on a
 * connection of its own per holder. The lock lives exactly as long as that connection: freed when
 * the work ends (the connection closes), and when the holder dies, as soon as the server sees its
 * connection close (at once for a killed process on a live host; within TCP keep-alive for a host
 * that vanished). Waiters queue on the server, so a takeover needs no polling.
 */
import type { ClusterLocks } from "../cluster-locks.js";
import { DedicatedConnection, type DedicatedConnectionTarget } from "./dedicated-connection.js";

export class PostgresClusterLocks implements ClusterLocks {
  readonly #target: DedicatedConnectionTarget;
  /** Lock names are per schema: two Patchbay installations may share one database. */
  readonly #namespace: string;

  constructor(target: DedicatedConnectionTarget, namespace: string) {
    this.#target = target;
    this.#namespace = namespace;
  }

  async hold<T>(
    name: string,
    work: (lost: AbortSignal) => Promise<T>,
    signal: AbortSignal,
  ): Promise<T> {
    signal.throwIfAborted();
    const connection = await DedicatedConnection.connect(this.#target);
    const stopWaiting = (): void => void connection.end();
    signal.addEventListener("abort", stopWaiting, { once: true });
    try {
      signal.throwIfAborted();
      await connection.query("SELECT pg_advisory_lock(hashtextextended($1, 0))", [this.#key(name)]);
    } catch (error) {
      await connection.end();
      signal.throwIfAborted();
      throw error;
    } finally {
      signal.removeEventListener("abort", stopWaiting);
    }
    try {
      return await work(connection.lost);
    } finally {
      await connection.end();
    }
  }

  async tryHold<T>(
    name: string,
    work: (lost: AbortSignal) => Promise<T>,
  ): Promise<{ held: true; value: T } | { held: false }> {
    const connection = await DedicatedConnection.connect(this.#target);
    try {
      const [row] = await connection.query<{ held: boolean }>(
        "SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS held",
        [this.#key(name)],
      );
      if (row?.held !== true) return { held: false };
      return { held: true, value: await work(connection.lost) };
    } finally {
      await connection.end();
    }
  }

  #key(name: string): string {
    return `patchbay:${this.#namespace}:${name}`;
  }
}
