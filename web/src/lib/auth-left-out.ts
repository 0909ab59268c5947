/**
 * What auth-js's GoTrueClient gets for its passkey (WebAuthn) and Ethereum sign-in helpers in the
 * web build (web/supabase-parts.ts): the app signs in with e-mail and password, e-mail codes and
 * TOTP only, so that code (about 5 kB gzipped) is left out of the first load (issue 23). Any
 * passkey or Web3 call fails loudly, naming what was called.
 */
function refused(name: string): never {
  throw new Error(
    `${name}: passkeys and Web3 sign-in are not part of this web app's build (web/supabase-parts.ts)`,
  );
}

/** An object any of whose properties, once read, refuses by name. */
function refusing(what: string): object {
  return new Proxy({}, {
    get(_target, property) {
      if (property === "then") return undefined;
      return refused(`${what}.${String(property)}`);
    },
  });
}

export class WebAuthnApi {
  constructor() {
    return refusing("auth.mfa.webauthn") as WebAuthnApi;
  }
}

export const webAuthnAbortService = refusing("webAuthnAbortService");
export const browserSupportsWebAuthn = (): never => refused("browserSupportsWebAuthn");
export const createCredential = (): never => refused("createCredential");
export const getCredential = (): never => refused("getCredential");
export const deserializeCredentialCreationOptions = (): never =>
  refused("deserializeCredentialCreationOptions");
export const deserializeCredentialRequestOptions = (): never =>
  refused("deserializeCredentialRequestOptions");
export const serializeCredentialCreationResponse = (): never =>
  refused("serializeCredentialCreationResponse");
export const serializeCredentialRequestResponse = (): never => refused("serializeCredentialRequestResponse");
export const createSiweMessage = (): never => refused("createSiweMessage");
export const fromHex = (): never => refused("fromHex");
export const getAddress = (): never => refused("getAddress");
export const toHex = (): never => refused("toHex");
