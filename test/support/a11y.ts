/**
 * What a screen reader is told: Chromium's accessibility tree for the page (read through the test
 * runner's a11y-snapshot command), and the nodes in it by role and name, as a shopper would find them.
 */
import { a11ySnapshot } from '@web/test-runner-commands';

export interface AxNode {
  role: string;
  name: string;
  /** `"true"` when the control is announced as invalid ("invalid entry"). */
  invalid?: string;
  checked?: boolean | 'mixed';
  description?: string;
  level?: number;
  children?: AxNode[];
}

/** Every node of the page's tree with `role` (and `name`, when given), in reading order. */
export async function axNodes(role: string, name?: string): Promise<AxNode[]> {
  const root = (await a11ySnapshot({})) as unknown as AxNode;
  const found: AxNode[] = [];
  const walk = (node: AxNode) => {
    if (node.role === role && (name === undefined || node.name === name)) found.push(node);
    for (const child of node.children ?? []) walk(child);
  };
  walk(root);
  return found;
}
