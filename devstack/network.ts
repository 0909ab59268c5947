/** The address the start command's `--lan` serves on: this machine's address on the local network. */
export interface NetworkInterface {
  family: "IPv4" | "IPv6";
  address: string;
  name: string;
}

const LOOPBACK = /^127\./;
const LINK_LOCAL = /^169\.254\./;
const PRIVATE = /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/;

/** The first private IPv4 address (10/8, 172.16/12, 192.168/16), else any other non-loopback one. */
export function lanAddress(interfaces: NetworkInterface[]): string | undefined {
  const candidates = interfaces.filter((i) =>
    i.family === "IPv4" && !LOOPBACK.test(i.address) && !LINK_LOCAL.test(i.address)
  );
  return (candidates.find((i) => PRIVATE.test(i.address)) ?? candidates[0])?.address;
}
