/**
 * The inline buttons of the habit conversations and pickers. Telegram limits callback_data to 64
 * bytes; each is parsed against these patterns before any of it reaches SQL (the longest,
 * "delete:yes:<uuid>", is 47 bytes).
 */
const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

export type PickOperation = "edit" | "pause" | "resume" | "delete";
export type EditField = "action" | "time" | "place" | "interval" | "duration";

export type FlowButton =
  | { kind: "time"; time: string }
  | { kind: "interval"; days: number }
  | { kind: "duration"; seconds: number }
  | { kind: "no_follow_up" }
  | { kind: "reward" }
  | { kind: "pleasant"; habitId: string }
  | { kind: "field"; field: EditField }
  | { kind: "cancel" }
  | { kind: "page"; operation: PickOperation; page: number }
  | { kind: "pick"; operation: PickOperation; habitId: string }
  | { kind: "delete_confirmed"; habitId: string }
  | { kind: "delete_refused" }
  | { kind: "pick_cancelled" };

export const flowButtonPattern = new RegExp(
  `^(new:t:([01][0-9]|2[0-3])([0-5][0-9])|new:i:([1-7])|new:d:([1-9][0-9]{0,2})|new:f:(none|reward)|new:p:(${UUID})` +
    `|edit:f:(action|time|place|interval|duration)|cancel|pick:(edit|pause|resume|delete):([0-9]{1,3})` +
    `|(edit|pause|resume|delete):h:(${UUID})|delete:yes:(${UUID})|delete:no|pick:no)$`,
);

export const button = {
  time: (time: string) => `new:t:${time.replace(":", "")}`,
  interval: (days: number) => `new:i:${days}`,
  duration: (seconds: number) => `new:d:${seconds}`,
  noFollowUp: "new:f:none",
  reward: "new:f:reward",
  pleasant: (habitId: string) => `new:p:${habitId}`,
  field: (field: EditField) => `edit:f:${field}`,
  cancel: "cancel",
  page: (operation: PickOperation, page: number) => `pick:${operation}:${page}`,
  pick: (operation: PickOperation, habitId: string) => `${operation}:h:${habitId}`,
  deleteYes: (habitId: string) => `delete:yes:${habitId}`,
  deleteNo: "delete:no",
  pickNo: "pick:no",
};

/** The button `data` names, or null when it is not one of the conversation's buttons. */
export function decodeFlowButton(data: string | undefined): FlowButton | null {
  const m = data === undefined ? null : flowButtonPattern.exec(data);
  if (!m) return null;
  if (m[2]) return { kind: "time", time: `${m[2]}:${m[3]}` };
  if (m[4]) return { kind: "interval", days: Number(m[4]) };
  if (m[5]) return { kind: "duration", seconds: Number(m[5]) };
  if (m[6]) {
    return m[6] === "none" ? { kind: "no_follow_up" } : { kind: "reward" };
  }
  if (m[7]) return { kind: "pleasant", habitId: m[7] };
  if (m[8]) return { kind: "field", field: m[8] as EditField };
  if (m[9]) {
    return {
      kind: "page",
      operation: m[9] as PickOperation,
      page: Number(m[10]),
    };
  }
  if (m[11]) {
    return { kind: "pick", operation: m[11] as PickOperation, habitId: m[12] };
  }
  if (m[13]) return { kind: "delete_confirmed", habitId: m[13] };
  if (data === "pick:no") return { kind: "pick_cancelled" };
  return data === "cancel" ? { kind: "cancel" } : { kind: "delete_refused" };
}
