/**
 * Background responses streamed, resumed and followed (issue 14 §2), through the official `openai`
 * client and raw HTTP, on SQLite and on PostgreSQL: `background: true, stream: true` starts with
 * the queued response; `retrieve(id, {stream: true, starting_after})` replays and follows; a
 * disconnect does not stop the run; ten followers each get the whole sequence; a slow reader does
 * not hold the run back; cancel ends every stream.
 */
import type OpenAI from "openai";
import type { ResponseStreamEvent } from "openai/resources/responses/responses";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { PatchbayConfig } from "../../src/config/patchbay-config.js";
import { expectWellFormedStream, readSse } from "../support/collect-events.js";
import { postgresTestDatabase } from "../support/postgres.js";
import { startScriptedModel, type ScriptedModel } from "../support/scripted-model-server.js";
import { startPatchbay, type TestPatchbay } from "../support/start-patchbay.js";

const postgres = postgresTestDatabase();

async function collect(stream: AsyncIterable<ResponseStreamEvent>): Promise<ResponseStreamEvent[]> {
  const events: ResponseStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

/** The stored response as the server sent it (the SDK adds `output_text` on retrieve). */
async function storedResponse(client: OpenAI, id: string): Promise<unknown> {
  const { output_text: _added, ...response } = await client.responses.retrieve(id);
  return response;
}

/** A slow answer: the run is still going while the test reads, disconnects and resumes. */
const slowText = (text: string) => ({ text, chunks: 12, delayMs: 15 });

function describeBackgroundStreams(
  name: string,
  skip: boolean,
  configure: () => (config: PatchbayConfig) => void,
): void {
  describe.skipIf(skip)(`background streams on ${name}`, () => {
    let model: ScriptedModel;
    let patchbay: TestPatchbay;
    let client: OpenAI;

    beforeAll(async () => {
      model = await startScriptedModel();
      patchbay = await startPatchbay({ modelUrl: model.url, configure: configure() });
      client = patchbay.client;
    });
    afterAll(async () => {
      await patchbay?.close();
      await model?.close();
    });

    /** `background: true, stream: true` with a model that answers `text` slowly. */
    const streamInBackground = (text: string) => {
      model.enqueue(slowText(text));
      return client.responses.create({
        model: "test-model",
        input: "x",
        background: true,
        stream: true,
      });
    };

    it("streams from the queued response to completion and stores what it streamed", async () => {
      const stream = await streamInBackground("streamed in the background");
      const events = await collect(stream);
      expectWellFormedStream(events);
      expect(events.slice(0, 2).map((event) => event.type)).toEqual([
        "response.created",
        "response.in_progress",
      ]);
      const created = events[0] as OpenAI.Responses.ResponseCreatedEvent;
      expect(created.response).toMatchObject({ status: "queued", background: true });
      const completed = events.at(-1) as OpenAI.Responses.ResponseCompletedEvent;
      expect(completed.type).toBe("response.completed");
      // Stored before the terminal event went out: no race with this retrieve.
      expect(await storedResponse(client, completed.response.id)).toEqual(completed.response);
      expect((await client.responses.retrieve(completed.response.id)).output_text).toBe(
        "streamed in the background",
      );
    });

    it("resumes after a disconnect: the joined events are one uninterrupted stream and the stored response", async () => {
      const first = await streamInBackground("resumed after a dropped connection");
      const before: ResponseStreamEvent[] = [];
      for await (const event of first) {
        before.push(event);
        if (event.type === "response.output_text.delta") break; // the client goes away
      }
      const id = (before[0] as OpenAI.Responses.ResponseCreatedEvent).response.id;
      const last = before.at(-1)!.sequence_number;
      const after = await collect(
        await client.responses.retrieve(id, { stream: true, starting_after: last }),
      );
      const joined = [...before, ...after];
      expectWellFormedStream(joined);
      const uninterrupted = await collect(await client.responses.retrieve(id, { stream: true }));
      expect(joined).toEqual(uninterrupted);
      const completed = joined.at(-1) as OpenAI.Responses.ResponseCompletedEvent;
      expect(completed.type).toBe("response.completed");
      expect(await storedResponse(client, id)).toEqual(completed.response);
      expect((await client.responses.retrieve(id)).output_text).toBe(
        "resumed after a dropped connection",
      );
    });

    it("keeps running when the creating stream is dropped at its first event", async () => {
      const stream = await streamInBackground("nobody was listening");
      let id = "";
      for await (const event of stream) {
        if (event.type === "response.created") id = event.response.id;
        break;
      }
      const rest = await collect(
        await client.responses.retrieve(id, { stream: true, starting_after: 0 }),
      );
      expect(rest[0]?.sequence_number).toBe(1);
      expect(rest.at(-1)?.type).toBe("response.completed");
      expect((await client.responses.retrieve(id)).output_text).toBe("nobody was listening");
    });

    it("gives ten followers the whole contiguous sequence each", async () => {
      model.enqueue({ text: "ten readers", chunks: 20, delayMs: 10 });
      const queued = await client.responses.create({
        model: "test-model",
        input: "x",
        background: true,
      });
      const followers = await Promise.all(
        Array.from({ length: 10 }, async () =>
          collect(await client.responses.retrieve(queued.id, { stream: true })),
        ),
      );
      for (const events of followers) {
        expectWellFormedStream(events);
        expect(events).toEqual(followers[0]);
      }
      expect((followers[0]!.at(-1) as OpenAI.Responses.ResponseCompletedEvent).response).toEqual(
        await storedResponse(client, queued.id),
      );
    });

    it("does not hold the run back for a reader that stops reading", async () => {
      model.enqueue({ text: "x".repeat(4000), chunks: 400 });
      const queued = await client.responses.create({
        model: "test-model",
        input: "x",
        background: true,
      });
      const answer = await fetch(`${patchbay.baseURL}/responses/${queued.id}?stream=true`, {
        headers: { authorization: "Bearer test" },
      });
      const reader: ReadableStreamDefaultReader<Uint8Array> = answer.body!.getReader();
      const firstChunk = await reader.read();
      expect(firstChunk.done).toBe(false);
      // The reader sits on its first chunk while the run completes.
      await patchbay.runtime.app.responses.drain();
      expect((await client.responses.retrieve(queued.id)).status).toBe("completed");
      const decoder = new TextDecoder();
      let text = decoder.decode(firstChunk.value, { stream: true });
      for (;;) {
        const next = await reader.read();
        if (next.done) break;
        text += decoder.decode(next.value, { stream: true });
      }
      const events = await readSse(new Response(text));
      expectWellFormedStream(events.map((event) => event.data));
      expect(events.at(-1)?.event).toBe("response.completed");
    });

    it("ends every stream when the response is cancelled, idempotently", async () => {
      const abortedBefore = model.aborted;
      const requestsBefore = model.requests.length;
      model.enqueue({ hang: true });
      const stream = await client.responses.create({
        model: "test-model",
        input: "x",
        background: true,
        stream: true,
      });
      const iterator = stream[Symbol.asyncIterator]();
      const created = (await iterator.next()).value as OpenAI.Responses.ResponseCreatedEvent;
      const follower = client.responses
        .retrieve(created.response.id, { stream: true })
        .then(collect);
      await model.waitForRequests(requestsBefore + 1);
      const cancelled = await client.responses.cancel(created.response.id);
      expect(cancelled.status).toBe("cancelled");
      const rest: ResponseStreamEvent[] = [];
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
        rest.push(next.value);
      }
      expect(rest.map((event) => event.type)).toEqual(["response.in_progress"]);
      expect((await follower).map((event) => event.type)).toEqual([
        "response.created",
        "response.in_progress",
      ]);
      await model.waitForAbort(abortedBefore + 1);
      expect((await client.responses.cancel(created.response.id)).status).toBe("cancelled");
      expect((await client.responses.retrieve(created.response.id)).status).toBe("cancelled");
    });

    it("does not bring back a response deleted through another replica while it ran", async () => {
      // A second replica on the same database (the same SQLite file, or PostgreSQL schema).
      const other = await startPatchbay({
        modelUrl: model.url,
        home: patchbay.home,
        configure: (config) => {
          config.storage.backend = patchbay.config.storage.backend;
        },
      });
      try {
        const before = model.requests.length;
        // The answer ends ~40 ms after the model is asked, well before the run's next lease
        // renewal (every 250 ms) could tell it of the delete: its last save must find it gone.
        model.enqueue({ text: "finished after the delete", chunks: 2, delayMs: 20 });
        const created = await client.responses.create({
          model: "test-model",
          input: "x",
          background: true,
        });
        await model.waitForRequests(before + 1);
        await expect(other.client.responses.delete(created.id)).resolves.toMatchObject({
          deleted: true,
        });
        await vi.waitFor(
          () =>
            expect(patchbay.logs.join("\n")).toMatch(
              new RegExp(`"response_id":"${created.id}".*(not stored|lost its lease)`),
            ),
          { timeout: 5_000 },
        );
        for (const replica of [client, other.client]) {
          await expect(replica.responses.retrieve(created.id)).rejects.toMatchObject({
            status: 404,
          });
        }
      } finally {
        await other.close({ keepHome: true });
      }
    });

    it("refuses to stream a response not created in the background", async () => {
      model.enqueue({ text: "sync" });
      const response = await client.responses.create({ model: "test-model", input: "x" });
      await expect(client.responses.retrieve(response.id, { stream: true })).rejects.toMatchObject({
        status: 400,
        error: { param: "stream" },
      });
      await expect(
        client.responses.retrieve("resp_missing", { stream: true }),
      ).rejects.toMatchObject({ status: 404 });
      const bad = await fetch(
        `${patchbay.baseURL}/responses/${response.id}?stream=true&starting_after=x`,
        { headers: { authorization: "Bearer test" } },
      );
      expect(bad.status).toBe(400);
    });

    it("replays a stored background response's events after it completed", async () => {
      model.enqueue({ text: "done already" });
      const queued = await client.responses.create({
        model: "test-model",
        input: "x",
        background: true,
      });
      await patchbay.runtime.app.responses.drain();
      const all = await collect(await client.responses.retrieve(queued.id, { stream: true }));
      expectWellFormedStream(all);
      const tail = await collect(
        await client.responses.retrieve(queued.id, {
          stream: true,
          starting_after: all.length - 3,
        }),
      );
      expect(tail).toEqual(all.slice(-2));
      const none = await collect(
        await client.responses.retrieve(queued.id, {
          stream: true,
          starting_after: all.length + 5,
        }),
      );
      expect(none).toEqual([]);
    });
  });
}

describeBackgroundStreams("SQLite", false, () => () => undefined);
describeBackgroundStreams("PostgreSQL", postgres.skipReason !== null, () => {
  const backend = postgres.backend();
  return (config) => {
    config.storage.backend = backend;
  };
});
