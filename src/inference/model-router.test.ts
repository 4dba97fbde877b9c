import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ChatEvent } from "./chat-model.js";
import { ModelRouter } from "./model-router.js";
import { OpenAIChatModel } from "./openai-chat-model.js";
import type { InferenceProviderConfig } from "../config/patchbay-config.js";
import { NoInferenceProviderError } from "../errors/no-inference-provider-error.js";
import {
  startScriptedModel,
  type ScriptedModel,
} from "../../test/support/scripted-model-server.js";

function provider(providerId: string, baseUrl: string): InferenceProviderConfig {
  return { providerId, providerType: "remote::vllm", baseUrl, apiKey: null, timeoutMs: 5_000 };
}

describe("ModelRouter", () => {
  let vllm: ScriptedModel;
  let ollama: ScriptedModel;
  let router: ModelRouter;
  beforeEach(async () => {
    [vllm, ollama] = await Promise.all([startScriptedModel(), startScriptedModel()]);
    router = new ModelRouter([provider("vllm", vllm.url), provider("ollama", ollama.url)]);
  });
  afterEach(async () => {
    await Promise.all([vllm.close(), ollama.close()]);
  });

  async function run(model: string): Promise<ChatEvent[]> {
    const { chatModel, upstreamModel } = router.resolve(model);
    const events: ChatEvent[] = [];
    const messages = [{ role: "user" as const, content: "Hi" }];
    for await (const event of chatModel.stream(
      { model: upstreamModel, messages },
      new AbortController().signal,
    )) {
      events.push(event);
    }
    return events;
  }

  it("routes provider_id/model to that provider, stripping the prefix", async () => {
    ollama.enqueue({ text: "from ollama" });
    const resolved = router.resolve("ollama/llama3.2:3b");

    expect(resolved).toMatchObject({ providerId: "ollama", upstreamModel: "llama3.2:3b" });
    expect(resolved.chatModel).toBeInstanceOf(OpenAIChatModel);
    await expect(run("ollama/llama3.2:3b")).resolves.toContainEqual({
      type: "text",
      delta: "from ollama",
    });
    expect(ollama.requests[0]?.body.model).toBe("llama3.2:3b");
    expect(vllm.requests).toHaveLength(0);
  });

  it("sends a bare name, even one containing '/', whole to the first provider", async () => {
    vllm.enqueue({ text: "from vllm" });

    expect(router.resolve("Qwen/Qwen3-32B")).toMatchObject({
      providerId: "vllm",
      upstreamModel: "Qwen/Qwen3-32B",
    });
    expect(router.resolve("gpt-4o")).toMatchObject({ providerId: "vllm", upstreamModel: "gpt-4o" });
    await run("Qwen/Qwen3-32B");
    expect(vllm.requests[0]?.body.model).toBe("Qwen/Qwen3-32B");
    expect(ollama.requests).toHaveLength(0);
  });

  it("treats a provider id with nothing after the slash as a bare name", () => {
    expect(router.resolve("ollama/")).toMatchObject({
      providerId: "vllm",
      upstreamModel: "ollama/",
    });
  });

  it("builds one chat model per provider through the injected factory", () => {
    const built: string[] = [];
    const injected = new ModelRouter(
      [provider("a", "http://a/v1"), provider("b", "http://b/v1")],
      (config) => {
        built.push(config.providerId);
        return new OpenAIChatModel({ baseUrl: config.baseUrl, timeoutMs: config.timeoutMs });
      },
    );

    expect(built).toEqual(["a", "b"]);
    expect(injected.resolve("b/m").chatModel).toBe(injected.resolve("b/other").chatModel);
    expect(injected.resolve("m").chatModel).not.toBe(injected.resolve("b/m").chatModel);
  });

  it("fails with NoInferenceProviderError when no provider is configured", () => {
    expect(() => new ModelRouter([]).resolve("llama3")).toThrow(NoInferenceProviderError);
  });
});
