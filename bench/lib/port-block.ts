/**
 * Prints the first port P in 31800-31890 (step 10) such that P..P+9 are all free on 127.0.0.1:
 * the benchmark's database takes P, its services P+1..P+9. The block lies below Linux's ephemeral
 * range (/proc/sys/net/ipv4/ip_local_port_range, 32768-60999 here), so no outgoing connection
 * and no port-0 listener (scripts/free-port.sh, a browser) can take one of its ports while the
 * benchmarks run; in 55800-55899 one did (AddrInUse when `--smoke all` reached realtime).
 */
function isFree(port: number): boolean {
  try {
    Deno.listen({ hostname: "127.0.0.1", port }).close();
    return true;
  } catch {
    return false;
  }
}

for (let base = 31800; base <= 31890; base += 10) {
  if (Array.from({ length: 10 }, (_, i) => base + i).every(isFree)) {
    console.log(base);
    Deno.exit(0);
  }
}
console.error("no block of 10 free ports in 31800-31899");
Deno.exit(1);
