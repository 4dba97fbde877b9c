/**
 * One JSON POST over `node:http`/`node:https` with a keep-alive agent, its body readable as it
 * arrives. Used for model calls instead of `fetch`: on Node 20 undici's fetch (web streams, an
 * AbortSignal and a cloned request per call) costs several times the CPU of `http.request`, and
 * the Responses hot path makes one such call per model turn (bench/overhead.ts).
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { KEEP_ALIVE_AGENT_OPTIONS } from "../lib/keep-alive-agent-options.js";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";

export interface PostedResponse {
  status: number;
  header(name: string): string | null;
  /** The body's chunks; `next()` may be awaited under a watchdog. */
  chunks: AsyncIterator<Buffer, undefined>;
  /**
   * The body as text, read up to `maxBytes`: a longer body (by `content-length`, or as it
   * arrives) stops the reading there with `truncated` set; the caller then drops the exchange,
   * whose unread rest is never buffered.
   */
  text(maxBytes: number): Promise<{ text: string; truncated: boolean }>;
}

/** Posts to one URL, reusing its connections. */
export class JsonPoster {
  readonly #url: URL;
  readonly #agent: HttpAgent;
  readonly #request: typeof httpRequest;

  constructor(url: URL) {
    this.#url = url;
    const secure = url.protocol === "https:";
    this.#agent = secure
      ? new HttpsAgent(KEEP_ALIVE_AGENT_OPTIONS)
      : new HttpAgent(KEEP_ALIVE_AGENT_OPTIONS);
    this.#request = secure ? httpsRequest : httpRequest;
  }

  /**
   * Aborting `signal` destroys the exchange while it is open; once the body has ended the socket
   * goes back to the agent untouched (an abort then does nothing). Errors after the response
   * arrived surface through `chunks`, never as an unhandled event.
   */
  async post(
    headers: Record<string, string>,
    body: string,
    signal: AbortSignal,
  ): Promise<PostedResponse> {
    try {
      return await this.#send(headers, body, signal);
    } catch (error) {
      // A kept-alive socket the server closed while it sat idle fails at once on reuse, before
      // any byte of an answer: the request never reached the model, so sending it again is safe.
      if (!(error instanceof StaleSocketError) || signal.aborted)
        throw error instanceof StaleSocketError ? error.cause : error;
      return this.#send(headers, body, signal);
    }
  }

  #send(
    headers: Record<string, string>,
    body: string,
    signal: AbortSignal,
  ): Promise<PostedResponse> {
    return new Promise((resolve, reject) => {
      signal.throwIfAborted();
      const outgoing = this.#request(this.#url, {
        method: "POST",
        agent: this.#agent,
        headers: { ...headers, "content-length": Buffer.byteLength(body) },
      });
      let settled = false;
      // Destroyed without an error object: an error would be re-emitted on the pooled socket,
      // where nobody listens. The reader learns the reason from its own signal.
      const onAbort = (): void => {
        outgoing.destroy();
      };
      const detach = (): void => signal.removeEventListener("abort", onAbort);
      signal.addEventListener("abort", onAbort, { once: true });
      outgoing.on("error", (error: Error & { code?: string }) => {
        detach();
        if (settled) return;
        const stale =
          outgoing.reusedSocket && (error.code === "ECONNRESET" || error.code === "EPIPE");
        reject(stale ? new StaleSocketError(error) : error);
      });
      outgoing.once("response", (incoming: IncomingMessage) => {
        settled = true;
        incoming.once("end", detach);
        incoming.once("close", detach);
        resolve(toPosted(incoming));
      });
      outgoing.end(body);
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}

class StaleSocketError extends Error {
  constructor(override readonly cause: Error) {
    super("stale keep-alive socket", { cause });
  }
}

function toPosted(incoming: IncomingMessage): PostedResponse {
  // Read errors reach the reader through `chunks`; once nobody reads (the turn already failed or
  // was aborted), a late error must not become an unhandled 'error' event.
  incoming.on("error", () => undefined);
  const chunks = incoming[Symbol.asyncIterator]() as AsyncIterator<Buffer, undefined>;
  return {
    status: incoming.statusCode ?? 0,
    header: (name) => {
      const value = incoming.headers[name.toLowerCase()];
      return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
    },
    chunks,
    async text(maxBytes) {
      if (Number(incoming.headers["content-length"] ?? "0") > maxBytes)
        return { text: "", truncated: true };
      const parts: Buffer[] = [];
      let total = 0;
      for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
        total += next.value.byteLength;
        if (total > maxBytes) {
          parts.push(next.value.subarray(0, next.value.byteLength - (total - maxBytes)));
          return { text: Buffer.concat(parts).toString("utf8"), truncated: true };
        }
        parts.push(next.value);
      }
      return { text: Buffer.concat(parts).toString("utf8"), truncated: false };
    },
  };
}
