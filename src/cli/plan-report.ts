import type { Change, ChangeVerb, Side } from '../delegation/change.js';

/**
 * What `ram-delegation plan` found for each delegation, and how it says so: text in the operator's own
 * words (the sentences its Events use), or JSON for tools. Pure.
 */

interface Refusal {
  /** The account concerned, when one is. */
  account?: Side;
  /** The condition reason the delegation would carry, e.g. `EntityNotManaged`. */
  reason: string;
  message: string;
}

export interface DelegationReport {
  namespace: string;
  name: string;
  /** Planned against the delegation as the cluster has it; false: planned from scratch. */
  inCluster: boolean;
  accounts: Partial<Record<Side, string>>;
  changes: Change[];
  refusals: Refusal[];
}

/** The words `--output json` uses for each kind of change. */
type PlanAction = 'create' | 'update' | 'attach' | 'detach' | 'delete' | 'rotate';

const ACTIONS: Readonly<Record<ChangeVerb, PlanAction>> = {
  Created: 'create',
  Updated: 'update',
  Tagged: 'update',
  Deactivated: 'update',
  Attached: 'attach',
  Detached: 'detach',
  Deleted: 'delete',
  Rotated: 'rotate',
};

/** A change that takes something away: access (a detach, a deactivated key) or an entity. */
function isDestructive(change: Change): boolean {
  return change.verb === 'Deleted' || change.verb === 'Detached' || change.verb === 'Deactivated';
}

/** 0: nothing to change; 2: changes; 1: an error or a refusal (it wins over changes). */
export function planExitCode(reports: readonly DelegationReport[]): 0 | 1 | 2 {
  if (reports.some((r) => r.refusals.length > 0)) return 1;
  return reports.some((r) => r.changes.length > 0) ? 2 : 0;
}

export function renderJson(reports: readonly DelegationReport[]): string {
  const delegations = reports.map((report) => ({
    namespace: report.namespace,
    name: report.name,
    changes: report.changes.map((change) => ({
      account: change.side,
      action: ACTIONS[change.verb],
      target: change.entity,
      destructive: isDestructive(change),
    })),
    refusals: report.refusals.map((refusal) => ({
      ...(refusal.account ? { account: refusal.account } : {}),
      reason: refusal.reason,
      message: refusal.message,
    })),
  }));
  return `${JSON.stringify({ delegations }, null, 2)}\n`;
}

const SYMBOLS: Readonly<Record<PlanAction, string>> = {
  create: '+',
  attach: '+',
  update: '~',
  rotate: '~',
  detach: '-',
  delete: '-',
};

const ACCOUNT_TITLES: Readonly<Record<Side, string>> = {
  owner: 'account A (owner)',
  authorized: 'account B (authorized)',
};

function changeLine(change: Change): string {
  const symbol = change.verb === 'Deactivated' ? '-' : SYMBOLS[ACTIONS[change.verb]];
  return `    ${symbol} ${change.description}${isDestructive(change) ? '  [destructive]' : ''}`;
}

function reportLines(report: DelegationReport): string[] {
  const where = report.inCluster ? 'in the cluster' : 'not in the cluster yet: planned from scratch';
  const lines = [`${report.namespace}/${report.name} (${where})`];
  for (const side of ['owner', 'authorized'] as const) {
    const changes = report.changes.filter((c) => c.side === side);
    if (changes.length === 0) continue;
    const id = report.accounts[side];
    lines.push(`  ${ACCOUNT_TITLES[side]}${id ? ` ${id}` : ''}:`, ...changes.map(changeLine));
  }
  if (report.refusals.length > 0) {
    lines.push('  refused:');
    for (const refusal of report.refusals) {
      const account = refusal.account ? `${ACCOUNT_TITLES[refusal.account]}: ` : '';
      lines.push(`    x ${account}${refusal.reason}: ${refusal.message}`);
    }
  }
  if (report.changes.length === 0 && report.refusals.length === 0) lines.push('  no changes');
  return lines;
}

export function renderText(reports: readonly DelegationReport[]): string {
  const changes = reports.flatMap((r) => r.changes);
  const destructive = changes.filter(isDestructive).length;
  const refusals = reports.reduce((n, r) => n + r.refusals.length, 0);
  const summary =
    changes.length === 0 && refusals === 0
      ? `No changes: both accounts match the manifests (${reports.length} delegation(s)).`
      : `Plan: ${changes.length} change(s), ${destructive} destructive, ${refusals} refusal(s), in ${reports.length} delegation(s).`;
  return `${[...reports.flatMap((report) => [...reportLines(report), '']), summary].join('\n')}\n`;
}
