import { LookupFunction } from 'node:net';

import { ResolvedAddress, SsrfGuard } from './ssrf-guard';

/**
 * A socket lookup that resolves through the SSRF guard: every answer is
 * checked, and the socket may connect only to those (with `all` set, Node
 * tries each in turn, happy eyeballs). A refusal fails the socket before it
 * connects anywhere. Given to a keep-alive pool, this vets each connection
 * as it is opened, and a pooled connection stays on the address it was
 * vetted for, so a DNS answer that changes later (rebinding) cannot redirect
 * it. Sockets skip the lookup for an address literal: judge those before.
 */
export function vettingLookup(guard: SsrfGuard): LookupFunction {
  return (hostname, options, callback) => {
    guard.assertHostAllowed(hostname).then(
      (addresses) => {
        const usable = ofFamily(addresses, options.family);
        const [first] = usable;
        if (!first) {
          const error: NodeJS.ErrnoException = new Error('no vetted address of the family asked');
          error.code = 'ENOTFOUND';
          callback(error, '', 0);
        } else if (options.all) {
          callback(null, usable);
        } else {
          callback(null, first.address, first.family);
        }
      },
      (error: unknown) => {
        callback(error instanceof Error ? error : new Error(String(error)), '', 0);
      },
    );
  };
}

function ofFamily(addresses: ResolvedAddress[], family: unknown): ResolvedAddress[] {
  const wanted = family === 'IPv4' ? 4 : family === 'IPv6' ? 6 : family;
  return wanted === 4 || wanted === 6
    ? addresses.filter((candidate) => candidate.family === wanted)
    : addresses;
}
