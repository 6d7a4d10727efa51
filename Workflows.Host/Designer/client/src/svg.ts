import type { ActivityType } from "./api";
import { activityName, portName, position, type Doc } from "./model";

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** The diagram as a standalone SVG (boxes, names, connections with their port names), for stakeholders and print. */
export function exportSvg(doc: Doc, types: Map<string, ActivityType>): string {
  const width = 200, height = 90;
  const xs = doc.activities.map(a => position(a).x), ys = doc.activities.map(a => position(a).y);
  const minX = Math.min(0, ...xs) - 40, minY = Math.min(0, ...ys) - 40;
  const maxX = Math.max(0, ...xs) + width + 40, maxY = Math.max(0, ...ys) + height + 40;
  const byId = new Map(doc.activities.map(a => [a.id, a]));
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="${minX} ${minY} ${maxX - minX} ${maxY - minY}" width="${maxX - minX}" height="${maxY - minY}" font-family="sans-serif" role="img" aria-label="${escape(String(doc.meta.name ?? ""))}">`);
  parts.push(`<title>${escape(String(doc.meta.name ?? ""))}</title>`);
  parts.push(`<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#333"/></marker></defs>`);
  for (const c of doc.connections) {
    const s = byId.get(c.source.activity), t = byId.get(c.target.activity);
    if (!s || !t) continue;
    const a = position(s), b = position(t);
    const x1 = a.x + width, y1 = a.y + height / 2, x2 = b.x, y2 = b.y + height / 2;
    parts.push(`<path d="M${x1},${y1} C${x1 + 60},${y1} ${x2 - 60},${y2} ${x2},${y2}" fill="none" stroke="#333" stroke-width="1.5" marker-end="url(#arrow)"/>`);
    parts.push(`<text x="${(x1 + x2) / 2}" y="${(y1 + y2) / 2 - 6}" font-size="11" text-anchor="middle" fill="#333">${escape(portName(c.source.port))}</text>`);
  }
  for (const activity of doc.activities) {
    const p = position(activity);
    const type = types.get(activity.type)?.displayName ?? activity.type;
    parts.push(`<g><rect x="${p.x}" y="${p.y}" width="${width}" height="${height}" rx="8" fill="#fff" stroke="#1d3557" stroke-width="2"/>`);
    parts.push(`<text x="${p.x + 12}" y="${p.y + 24}" font-size="12" fill="#555">${escape(type)}</text>`);
    parts.push(`<text x="${p.x + 12}" y="${p.y + 50}" font-size="15" font-weight="bold" fill="#111">${escape(activityName(activity) ?? activity.id)}</text></g>`);
  }
  for (const note of doc.notes) {
    parts.push(`<g><rect x="${note.x}" y="${note.y}" width="${width}" height="70" fill="#fff8c5" stroke="#b59b00"/><text x="${note.x + 10}" y="${note.y + 24}" font-size="13">${escape(note.text)}</text></g>`);
  }
  parts.push("</svg>");
  return parts.join("\n");
}
