import type { Db } from "./db.ts";
import type { CodeChallengeMethod } from "./tokens.ts";

/** Row of auth.flow_state: a pending PKCE exchange. */
export interface FlowStateRow {
  id: string;
  user_id: string | null;
  auth_code: string;
  code_challenge_method: CodeChallengeMethod;
  code_challenge: string;
  authentication_method: string;
  created_at: Date;
  auth_code_issued_at: Date | null;
}

/** GoTrue's name for the e-mail sign-up method in auth.flow_state.authentication_method. */
export const EMAIL_SIGNUP = "email/signup";

export async function createFlowState(
  db: Db,
  userId: string,
  method: CodeChallengeMethod,
  challenge: string,
  authenticationMethod = EMAIL_SIGNUP,
): Promise<void> {
  await db`
    insert into auth.flow_state (
      id, user_id, auth_code, code_challenge_method, code_challenge, provider_type,
      created_at, updated_at, authentication_method
    ) values (
      ${crypto.randomUUID()}, ${userId}, ${crypto.randomUUID()}, ${method}, ${challenge}, 'email',
      now(), now(), ${authenticationMethod}
    )`;
}

/** Marks the user's latest flow state as confirmed and returns its auth code (null if none). */
export async function issueAuthCode(
  db: Db,
  userId: string,
  authenticationMethod: string,
): Promise<string | null> {
  const [row] = await db<{ auth_code: string }[]>`
    update auth.flow_state set auth_code_issued_at = now(), updated_at = now()
    where id = (
      select id from auth.flow_state
      where user_id = ${userId} and authentication_method = ${authenticationMethod}
      order by created_at desc limit 1
    )
    returning auth_code`;
  return row?.auth_code ?? null;
}

export async function findFlowStateByAuthCode(db: Db, authCode: string): Promise<FlowStateRow | null> {
  const [row] = await db<FlowStateRow[]>`
    select id, user_id, auth_code, code_challenge_method, code_challenge, authentication_method,
           created_at, auth_code_issued_at
    from auth.flow_state where auth_code = ${authCode} for update`;
  return row ?? null;
}

export async function deleteFlowState(db: Db, id: string): Promise<void> {
  await db`delete from auth.flow_state where id = ${id}`;
}

/**
 * GoTrue's FlowState.IsExpired (internal/models/flow_state.go): a magic link's flow counts from
 * when its code was issued, every other flow (sign-up, recovery, e-mail change) from when it was
 * created, so a sign-up link opened after the expiry confirms the address but gives no session.
 */
export function flowStateExpired(flow: FlowStateRow, expirySeconds: number, now = Date.now()): boolean {
  const from = flow.auth_code_issued_at && flow.authentication_method === "magiclink"
    ? flow.auth_code_issued_at
    : flow.created_at;
  return now > from.getTime() + expirySeconds * 1000;
}
