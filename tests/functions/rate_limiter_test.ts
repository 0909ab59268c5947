import assert from "node:assert/strict";
import { SendRateLimiter } from "../../supabase/functions/reminders/rate-limiter.ts";

/** A limiter on a clock the test moves by hand. */
function limiterAt(perSecond: number, chatIntervalMs: number) {
  const clock = { now: 0 };
  return { clock, limiter: new SendRateLimiter(perSecond, chatIntervalMs, () => clock.now) };
}

/** The most sends in any one-second window (less a rounding hair: 28 gaps of 1000/28 ms make 1 s). */
function busiestSecond(slots: number[]): number {
  return Math.max(
    ...slots.map((start) => slots.filter((slot) => slot >= start && slot < start + 999.999).length),
  );
}

Deno.test("sends to different chats are spread at the bot's rate", () => {
  const { limiter } = limiterAt(28, 1000);
  const slots = Array.from({ length: 84 }, (_, i) => limiter.reserve(`chat-${i}`));
  assert.ok(busiestSecond(slots) <= 28, `busiest second: ${busiestSecond(slots)}`);
  assert.ok(slots.at(-1)! < 3000, `84 sends take three seconds, the last at ${slots.at(-1)} ms`);
});

Deno.test("a chat with several messages waits a second between them without holding up other chats", () => {
  const { limiter } = limiterAt(28, 1000);
  const busyChat = [limiter.reserve("busy"), limiter.reserve("busy"), limiter.reserve("busy")];
  assert.deepEqual(busyChat.map((slot) => Math.round(slot)), [0, 1000, 2000]);
  const others = Array.from({ length: 27 }, (_, i) => limiter.reserve(`other-${i}`));
  assert.ok(
    others.at(-1)! < 1000,
    `the other chats all go out within the first second (last at ${others.at(-1)} ms)`,
  );
  const all = [...busyChat, ...others].sort((a, b) => a - b);
  for (let i = 1; i < all.length; i++) {
    assert.ok(all[i] - all[i - 1] >= 1000 / 28 - 1e-9, "sends never bunch up");
  }
});

Deno.test("after a 429 every send waits for retry_after and is spread out again", async () => {
  // On the real clock: waiting is what is tested.
  const limiter = new SendRateLimiter(100, 0);
  const started = performance.now();
  const first = limiter.reserve("a");
  const second = limiter.reserve("b");
  limiter.pauseFor(50);
  const sentAt = (await Promise.all([limiter.waitFor(first, "a"), limiter.waitFor(second, "b")]))
    .map((slot) => slot ?? NaN);
  const afterPause = sentAt.map((slot) => slot - started);
  assert.ok(afterPause.every((at) => at >= 50), `both after the 50 ms pause: ${afterPause}`);
  assert.ok(Math.abs(sentAt[0] - sentAt[1]) >= 10 - 1e-9, `and 10 ms apart: ${afterPause}`);
  assert.ok(performance.now() - started >= 59, "the second really waited");
});

Deno.test("sends that leave late because timers fired late still keep the bot's and the chat's limits", async () => {
  // A clock that jumps: every slot is already past when waitFor is asked, as after a stall.
  const clock = { now: 0 };
  const limiter = new SendRateLimiter(28, 1000, () => clock.now);
  const slots = Array.from({ length: 40 }, (_, i) => limiter.reserve(`chat-${i % 30}`));
  clock.now = 5_000;
  const left: number[] = [];
  const original = globalThis.setTimeout;
  globalThis.setTimeout = ((resolve: () => void, ms: number) => {
    clock.now += ms;
    return original(resolve, 0);
  }) as typeof setTimeout;
  try {
    for (const [i, slot] of slots.entries()) {
      await limiter.waitFor(slot, `chat-${i % 30}`);
      left.push(clock.now);
    }
  } finally {
    globalThis.setTimeout = original;
  }
  assert.ok(busiestSecond(left) <= 28, `busiest second of the real departures: ${busiestSecond(left)}`);
  for (let i = 30; i < 40; i++) {
    assert.ok(left[i] - left[i - 30] >= 1000, `chat-${i % 30} waited its gap: ${left[i] - left[i - 30]} ms`);
  }
});

Deno.test("no wait outlasts the run: a slot pushed past `until` by a 429 is given up at once", async () => {
  const limiter = new SendRateLimiter(100, 0);
  const started = performance.now();
  const slot = limiter.reserve("a");
  limiter.pauseFor(5_000);
  assert.equal(await limiter.waitFor(slot, "a", started + 1_000), null);
  assert.ok(performance.now() - started < 500, "it did not wait for the pause");
  assert.ok(limiter.pausedForMs() > 4_000, "the pause still holds for the next run to honour");
});
