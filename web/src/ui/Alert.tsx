import type { ReactNode } from "react";

/** A message region; errors are announced at once, other kinds politely. */
export function Alert(
  { kind, children, id }: {
    kind: "error" | "success" | "info";
    children: ReactNode;
    id?: string;
  },
) {
  return (
    <div
      id={id}
      className={`alert alert-${kind}`}
      role={kind === "error" ? "alert" : "status"}
    >
      {children}
    </div>
  );
}
