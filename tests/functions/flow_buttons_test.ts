import assert from "node:assert/strict";
import { button, decodeFlowButton } from "../../supabase/functions/telegram-webhook/flow-buttons.ts";

const id = "0b6f9a52-4c1e-4b7e-9a43-2f0c6c1d8e11";

Deno.test("the conversation's buttons round-trip and fit callback_data's 64 bytes", () => {
  const cases = [
    [button.time("07:30"), { kind: "time", time: "07:30" }],
    [button.interval(7), { kind: "interval", days: 7 }],
    [button.duration(120), { kind: "duration", seconds: 120 }],
    [button.noFollowUp, { kind: "no_follow_up" }],
    [button.reward, { kind: "reward" }],
    [button.pleasant(id), { kind: "pleasant", habitId: id }],
    [button.field("place"), { kind: "field", field: "place" }],
    [button.cancel, { kind: "cancel" }],
    [button.page("resume", 12), { kind: "page", operation: "resume", page: 12 }],
    [button.pick("delete", id), { kind: "pick", operation: "delete", habitId: id }],
    [button.deleteYes(id), { kind: "delete_confirmed", habitId: id }],
    [button.deleteNo, { kind: "delete_refused" }],
  ] as const;
  for (const [data, expected] of cases) {
    assert.ok(new TextEncoder().encode(data).length <= 64, data);
    assert.deepEqual(decodeFlowButton(data), expected);
  }
});

Deno.test("anything else is refused before SQL", () => {
  for (
    const data of [
      undefined,
      "",
      "new:t:2400",
      "new:i:8",
      "new:i:0",
      "new:d:0",
      "new:d:1000",
      `new:p:${id.toUpperCase()}`,
      `new:p:${id}'--`,
      "edit:f:owner_id",
      "pick:edit:1000",
      "archive:h:" + id,
      "delete:yes:",
      "cancel ",
    ]
  ) {
    assert.equal(decodeFlowButton(data), null, String(data));
  }
});
