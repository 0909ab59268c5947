/**
 * What supabase-js gets as `@supabase/realtime-js` in the web build (web/supabase-parts.ts): a
 * RealtimeClient whose code (realtime-js and phoenix, about 17 kB gzipped) is fetched the first
 * time a channel subscribes, not on every first load (issue 23: at most 150 kB). It offers the
 * part of the client that supabase-js and this app use; anything else is refused by name.
 */
import type {
  RealtimeChannel,
  RealtimeChannelOptions,
  RealtimeClient as RealClient,
  RealtimeClientOptions,
  RealtimeRemoveChannelResponse,
} from "@supabase/realtime-js";

type Listener = Parameters<RealtimeChannel["on"]>;
type SubscribeCallback = Parameters<RealtimeChannel["subscribe"]>[0];

/** A channel whose listeners are kept until it subscribes, then handed to the real channel. */
export class OnDemandChannel {
  #listeners: Listener[] = [];
  #removed = false;
  real: RealtimeChannel | undefined;

  constructor(
    readonly topic: string,
    readonly params: RealtimeChannelOptions | undefined,
    private readonly client: RealtimeClient,
  ) {}

  on(...listener: Listener): this {
    if (this.real) this.real.on(...listener);
    else this.#listeners.push(listener);
    return this;
  }

  subscribe(callback?: SubscribeCallback, timeout?: number): this {
    void this.client.load().then((client) => {
      if (this.#removed || this.real) return;
      this.real = client.channel(this.topic, this.params);
      for (const listener of this.#listeners) this.real.on(...listener);
      this.real.subscribe(callback, timeout);
    });
    return this;
  }

  /** Before it subscribed there is nothing to leave; after, the real channel leaves. */
  async remove(): Promise<RealtimeRemoveChannelResponse> {
    this.#removed = true;
    if (!this.real) return "ok";
    const client = await this.client.load();
    return await client.removeChannel(this.real);
  }
}

export class RealtimeClient {
  #real: Promise<RealClient> | undefined;
  #loaded: RealClient | undefined;
  #channels = new Set<OnDemandChannel>();
  /** The latest token handed over before the code was in; undefined: none was. */
  #token: [string | null | undefined] | undefined;

  constructor(private readonly endPoint: string, private readonly options?: RealtimeClientOptions) {}

  /** The real client, its code fetched on the first call. */
  load(): Promise<RealClient> {
    this.#real ??= import("@supabase/realtime-js").then(async ({ RealtimeClient: Real }) => {
      const client = new Real(this.endPoint, this.options);
      if (this.#token) await client.setAuth(this.#token[0]);
      this.#loaded = client;
      return client;
    });
    return this.#real;
  }

  /** supabase-js hands over each new token; before the code is in, the latest is kept for it. */
  async setAuth(token?: string | null): Promise<void> {
    if (!this.#real) {
      this.#token = [token];
      return;
    }
    await (await this.load()).setAuth(token);
  }

  channel(topic: string, params?: RealtimeChannelOptions): RealtimeChannel {
    const channel = new OnDemandChannel(topic, params, this);
    this.#channels.add(channel);
    return channel as unknown as RealtimeChannel;
  }

  getChannels(): RealtimeChannel[] {
    return this.#loaded?.getChannels() ?? [];
  }

  async removeChannel(channel: RealtimeChannel): Promise<RealtimeRemoveChannelResponse> {
    if (!(channel instanceof OnDemandChannel)) {
      throw new Error("removeChannel: not a channel of this client");
    }
    this.#channels.delete(channel);
    return await channel.remove();
  }

  async removeAllChannels(): Promise<RealtimeRemoveChannelResponse[]> {
    const channels = [...this.#channels];
    this.#channels.clear();
    return await Promise.all(channels.map((channel) => channel.remove()));
  }
}
