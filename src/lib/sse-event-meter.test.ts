import { describe, expect, it } from "vitest";
import { SseEventMeter } from "./sse-event-meter.js";

const bytes = (text: string) => Buffer.from(text, "latin1");

describe("SseEventMeter", () => {
  it.each([
    ["LF", "data: a\n\ndata: bc"],
    ["CRLF", "data: a\r\n\r\ndata: bc"],
    ["CR", "data: a\r\rdata: bc"],
    ["mixed", "data: a\r\n\ndata: bc"],
  ])("counts from the last blank line (%s)", (_endings, text) => {
    expect(new SseEventMeter().add(bytes(text))).toBe("data: bc".length);
  });

  it("keeps counting an event that spans chunks, and restarts after it ends", () => {
    const meter = new SseEventMeter();
    expect(meter.add(bytes("data: "))).toBe(6);
    expect(meter.add(bytes("xxxx"))).toBe(10);
    expect(meter.add(bytes("\n"))).toBe(11);
    expect(meter.add(bytes("\ndata: y"))).toBe("data: y".length);
    expect(meter.add(bytes("\r"))).toBe(8);
    expect(meter.add(bytes("\rz"))).toBe(1);
    expect(meter.add(new Uint8Array(0))).toBe(1);
  });

  it("does not take a CRLF split across chunks for a blank line", () => {
    const meter = new SseEventMeter();
    meter.add(bytes("data: a\r"));
    expect(meter.add(bytes("\nmore"))).toBe("data: a\r\nmore".length);
  });

  it("reads chunks that are views into a larger buffer", () => {
    const backing = bytes("junk\n\njunkdata: abc");
    expect(new SseEventMeter().add(backing.subarray(10))).toBe(9);
  });
});
