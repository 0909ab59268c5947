/**
 * Prints the first port P in 55800-55890 (step 10) such that P..P+9 are all free on 127.0.0.1:
 * the benchmark's database takes P, its services P+1..P+9.
 */
function isFree(port: number): boolean {
  try {
    Deno.listen({ hostname: "127.0.0.1", port }).close();
    return true;
  } catch {
    return false;
  }
}

for (let base = 55800; base <= 55890; base += 10) {
  if (Array.from({ length: 10 }, (_, i) => base + i).every(isFree)) {
    console.log(base);
    Deno.exit(0);
  }
}
console.error("no block of 10 free ports in 55800-55899");
Deno.exit(1);
