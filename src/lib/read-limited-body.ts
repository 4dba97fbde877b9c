/**
 * Reads a response body as text, refusing anything over `maxBytes` both by its declared
 * `content-length` and by counting bytes as they arrive (a chunked body declares nothing), so a
 * hostile or broken peer cannot make Patchbay buffer without bound (issue 11 §2). On refusal the
 * body is cancelled and `tooLarge()` is thrown; the caller aborts the request to free the socket.
 */
export async function readLimitedBody(
  response: Response,
  maxBytes: number,
  tooLarge: () => Error,
): Promise<string> {
  const declared = Number(response.headers.get("content-length") ?? "0");
  if (declared > maxBytes) {
    void response.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (response.body === null) return "";
  const reader: ReadableStreamDefaultReader<unknown> = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (!(value instanceof Uint8Array)) throw new TypeError("Response body chunk is not bytes.");
    total += value.byteLength;
    if (total > maxBytes) {
      void reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}
