/** Service and team ids are slugs people type: `payments-api`, `team.core`. */
export const SLUG = /^[a-z0-9][a-z0-9._-]{0,62}$/;
export const SLUG_DESCRIPTION = '1-63 of a-z 0-9 . _ -, starting with a letter or digit';

/** People are named by a handle or an email address. */
export const PERSON_ID = /^[A-Za-z0-9._@+-]{1,128}$/;

export function teamStreamId(teamId: string): string {
  return `team-${teamId}`;
}

export function serviceStreamId(serviceId: string): string {
  return `service-${serviceId}`;
}
