#!/usr/bin/env bash
# Prints a TCP port on 127.0.0.1 that is free right now.
exec deno eval 'const l = Deno.listen({ hostname: "127.0.0.1", port: 0 }); console.log((l.addr as Deno.NetAddr).port); l.close();'
