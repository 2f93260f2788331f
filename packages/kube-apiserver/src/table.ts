/**
 * The `as=Table` form (meta.k8s.io/v1 Table) that kubectl get asks for: CRD additionalPrinterColumns
 * evaluated by JSONPath (dates shown as ages), or a built-in kind's default columns, with each row's
 * object as PartialObjectMetadata (or the full object with includeObject=Object).
 */
import { compileJsonPath, evaluateJsonPath } from './jsonpath.js';
import type { PrinterColumn, ResourceType } from './resource-type.js';
import { ageOf } from './time-format.js';
import { scalarText, type KubeObject } from './types.js';
import { AGE_COLUMN, NAME_COLUMN } from './builtin/define.js';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface TableRow {
  cells: unknown[];
  object?: unknown;
}

export interface Table {
  kind: 'Table';
  apiVersion: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  columnDefinitions: Omit<PrinterColumn, 'jsonPath'>[];
  rows: TableRow[];
}

/** Builds rows for one resource type; compiled once per request. */
export class TableConverter {
  private readonly columns: PrinterColumn[];
  private readonly cells: (object: KubeObject) => unknown[];

  constructor(
    type: ResourceType,
    private readonly include: IncludeObject,
    private readonly now = Date.now(),
  ) {
    if (type.custom || !type.hooks.table) {
      const extra = type.printerColumns ?? [{ ...AGE_COLUMN, type: 'date' }];
      this.columns = [NAME_COLUMN, ...extra];
      const compiled = extra.map((c) => ({ column: c, steps: compileJsonPath(c.jsonPath) }));
      this.cells = (object) => [
        object.metadata.name,
        ...compiled.map(({ column, steps }) => this.cell(column, evaluateJsonPath(steps, object))),
      ];
    } else {
      this.columns = type.hooks.table.columns;
      this.cells = type.hooks.table.cells;
    }
  }

  private cell(column: PrinterColumn, results: unknown[]): unknown {
    const value = results[0];
    if (value === undefined) return null;
    switch (column.type) {
      case 'date':
        return typeof value === 'string' ? ageOf(value, this.now) : '<invalid>';
      case 'integer':
      case 'number':
        return typeof value === 'number' ? value : null;
      case 'boolean':
        return typeof value === 'boolean' ? value : null;
      default:
        return scalarText(value);
    }
  }

  columnDefinitions(): Table['columnDefinitions'] {
    return this.columns.map((c) => ({
      name: c.name,
      type: c.type === 'date' ? 'date' : c.type,
      format: c.format ?? '',
      description: c.description ?? '',
      priority: c.priority ?? 0,
    }));
  }

  row(object: KubeObject): TableRow {
    const row: TableRow = { cells: this.cells(object) };
    if (this.include === 'Object') row.object = object;
    else if (this.include === 'Metadata') {
      row.object = { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: object.metadata };
    }
    return row;
  }

  table(objects: KubeObject[], metadata: Table['metadata'], withHeaders = true): Table {
    return {
      kind: 'Table',
      apiVersion: 'meta.k8s.io/v1',
      metadata,
      columnDefinitions: withHeaders ? this.columnDefinitions() : [],
      rows: objects.map((o) => this.row(o)),
    };
  }
}
