import { MitreAttack } from '../sigma-rule';

/** Tactics of the ATT&CK Enterprise matrix: Sigma tag name and tactic id. */
const ENTERPRISE_TACTICS: ReadonlyArray<readonly [string, string]> = [
  ['reconnaissance', 'ta0043'],
  ['resource_development', 'ta0042'],
  ['initial_access', 'ta0001'],
  ['execution', 'ta0002'],
  ['persistence', 'ta0003'],
  ['privilege_escalation', 'ta0004'],
  ['defense_evasion', 'ta0005'],
  ['credential_access', 'ta0006'],
  ['discovery', 'ta0007'],
  ['lateral_movement', 'ta0008'],
  ['collection', 'ta0009'],
  ['command_and_control', 'ta0011'],
  ['exfiltration', 'ta0010'],
  ['impact', 'ta0040'],
];

const TACTIC_BY_NAME = new Map(ENTERPRISE_TACTICS.map(([name]) => [name, name]));
const TACTIC_BY_ID = new Map(ENTERPRISE_TACTICS.map(([name, id]) => [id, name]));

const TECHNIQUE = /^t\d{4}(\.\d{3})?$/;
const TACTIC_ID = /^ta\d{4}$/;
/** Groups (`g0016`) and software (`s0002`) stay tags; they are not tactics or techniques. */
const OTHER_ATTACK_ID = /^[gs]\d{4}$/;

export type MitreTagResult = { ok: true } | { ok: false; reason: string };

/**
 * Collects ATT&CK tactics and techniques from `attack.*` tags into `into`. Tags are compared
 * in lower case. An `attack.` tag that is none of tactic, technique, group or software is
 * refused, so a misspelt tactic does not silently drop out of the mapping.
 */
export function collectMitreTag(tag: string, into: MitreAttack): MitreTagResult {
  const lower = tag.toLowerCase();
  if (!lower.startsWith('attack.')) return { ok: true };

  const name = lower.slice('attack.'.length);
  if (TECHNIQUE.test(name)) {
    addOnce(into.techniques, name.toUpperCase());
    return { ok: true };
  }

  const tactic = TACTIC_ID.test(name) ? TACTIC_BY_ID.get(name) : TACTIC_BY_NAME.get(name);
  if (tactic !== undefined) {
    addOnce(into.tactics, tactic);
    return { ok: true };
  }
  if (OTHER_ATTACK_ID.test(name)) return { ok: true };

  const reason = TACTIC_ID.test(name)
    ? `unknown ATT&CK tactic id '${tag}'`
    : `unknown ATT&CK tag '${tag}': expected a tactic such as attack.credential_access, ` +
      'a technique such as attack.t1110 or attack.t1110.001, or a group/software id';
  return { ok: false, reason };
}

function addOnce(list: string[], value: string): void {
  if (!list.includes(value)) list.push(value);
}
