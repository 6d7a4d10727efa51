import ELK from "elkjs/lib/elk.bundled.js";
import type { Activity, Connection } from "./model";

const elk = new ELK();

/** Left-to-right layered layout (elkjs); returns each activity's new top-left corner. */
export async function autoLayout(activities: Activity[], connections: Connection[]): Promise<Map<string, { x: number; y: number }>> {
  const ids = new Set(activities.map(a => a.id));
  const graph = await elk.layout({
    id: "root",
    layoutOptions: {
      "elk.algorithm": "layered",
      "elk.direction": "RIGHT",
      "elk.spacing.nodeNode": "40",
      "elk.layered.spacing.nodeNodeBetweenLayers": "80",
    },
    children: activities.map(a => ({ id: a.id, width: 200, height: 90 })),
    edges: connections
      .filter(c => ids.has(c.source.activity) && ids.has(c.target.activity))
      .map((c, i) => ({ id: `e${i}`, sources: [c.source.activity], targets: [c.target.activity] })),
  });
  return new Map((graph.children ?? []).map(n => [n.id, { x: Math.round(n.x ?? 0), y: Math.round(n.y ?? 0) }]));
}
