const LF = 0x0a;
const CR = 0x0d;
/** Every blank line (the end of an SSE event) contains one of these, whatever its line endings. */
const BOUNDARIES = [Buffer.from("\n\n"), Buffer.from("\r\r"), Buffer.from("\n\r")];

/**
 * Counts the bytes of the SSE event still being received, so a reader can refuse an event that
 * grows without end before a parser buffers it whole (an SSE parser keeps the partial event in
 * memory). An event ends at a blank line: LF LF, CR CR, CRLF CRLF and their mixes all contain
 * `\n\n`, `\r\r` or `\n\r`. Each chunk is searched natively (`lastIndexOf`), never byte by byte.
 */
export class SseEventMeter {
  #pending = 0;
  #lastByte = -1;

  /** Bytes of the event not yet ended. */
  get pending(): number {
    return this.#pending;
  }

  /** Takes the next chunk of the stream; returns the size of the event not yet ended. */
  add(chunk: Uint8Array): number {
    if (chunk.byteLength === 0) return this.#pending;
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let end = -1;
    for (const boundary of BOUNDARIES) end = Math.max(end, bytes.lastIndexOf(boundary));
    if (end >= 0) {
      // A CRLF ending the blank line: its LF belongs to the boundary, not to the next event.
      const start = bytes[end + 1] === CR && bytes[end + 2] === LF ? end + 3 : end + 2;
      this.#pending = bytes.byteLength - start;
    } else if (this.#endsEventAcrossChunks(bytes[0] ?? 0)) {
      this.#pending = bytes.byteLength - 1;
    } else {
      this.#pending += bytes.byteLength;
    }
    this.#lastByte = bytes[bytes.byteLength - 1] ?? -1;
    return this.#pending;
  }

  /** The previous chunk ended with a line break and this one starts a blank line. */
  #endsEventAcrossChunks(first: number): boolean {
    const previous = this.#lastByte;
    return (previous === LF && (first === LF || first === CR)) || (previous === CR && first === CR);
  }
}
