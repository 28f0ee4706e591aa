import { SIGMA_LIMITS } from '../sigma-limits';

/** Why a field path cannot be used, or undefined when it can. */
export function fieldPathProblem(path: string): string | undefined {
  if (path.trim() === '') return 'field name is empty';
  if (path !== path.trim()) return `field name '${path}' has leading or trailing spaces`;
  if (path.length > SIGMA_LIMITS.fieldPathLength) {
    return `field name longer than ${SIGMA_LIMITS.fieldPathLength} characters`;
  }

  const segments = path.split('.');
  if (segments.some((segment) => segment === '')) {
    return `field name '${path}' has an empty part between dots`;
  }
  if (segments.length > SIGMA_LIMITS.fieldPathSegments) {
    return `field name '${path}' has more than ${SIGMA_LIMITS.fieldPathSegments} dotted parts`;
  }
  return undefined;
}
