import { Injectable } from '@nestjs/common';

import { DeepLink } from '../domain/deep-links';

/** Someone to page for a service or a team, right now. */
export type OnCallContact = {
  /** The service or team the contact answers for. */
  for: { kind: 'service' | 'team'; id: string };
  person: { id: string; name: string | null; email: string | null };
  /** Where the answer came from, e.g. a schedule id, so it can be checked. */
  source: string;
  until: string | null;
  link: DeepLink | null;
};

export type OnCallQuery = { services: string[]; teams: string[]; at: Date };

/**
 * Port for who is on call. The graph knows owners, not rotations: the
 * operations module (on-call schedules) provides the real one. The default
 * knows nobody, and the blast radius then lists owners only.
 */
export abstract class OnCallLookup {
  abstract contactsFor(query: OnCallQuery): Promise<OnCallContact[]>;
}

@Injectable()
export class NoOnCallLookup extends OnCallLookup {
  async contactsFor(): Promise<OnCallContact[]> {
    return [];
  }
}
