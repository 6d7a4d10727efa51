import type { Json, JsonObject } from "./api";

// The definition as the designer edits it: the document's own fields are kept untouched in `meta`, so whatever
// the designer does not know (inputs, variables, unknown metadata) is saved back exactly as it was read.
export interface Activity { [key: string]: Json; id: string; type: string }
export interface Connection { [key: string]: Json; source: { activity: string; port: string }; target: { activity: string; port: string } }
export interface Note { id: string; text: string; x: number; y: number }
export interface Doc { meta: JsonObject; activities: Activity[]; connections: Connection[]; notes: Note[] }

export function fromDocument(document: JsonObject): Doc {
  const meta = structuredClone(document);
  delete meta.version;
  const root = (meta.root ?? {}) as JsonObject;
  const activities = ((root.activities ?? []) as unknown as Activity[]);
  const connections = ((root.connections ?? []) as unknown as Connection[]);
  const designer = ((root.metadata as JsonObject | undefined)?.designer ?? {}) as JsonObject;
  const notes = ((designer.notes ?? []) as unknown as Note[]);
  return { meta, activities, connections, notes };
}

export function toDocument(doc: Doc): JsonObject {
  const document = structuredClone(doc.meta);
  const root = { ...((document.root ?? { type: "Flowchart" }) as JsonObject) };
  root.activities = doc.activities as unknown as Json;
  root.connections = doc.connections as unknown as Json;
  const metadata = { ...((root.metadata ?? {}) as JsonObject) };
  const designer = { ...((metadata.designer ?? {}) as JsonObject) };
  if (doc.notes.length > 0) {
    designer.notes = doc.notes as unknown as Json;
  } else {
    delete designer.notes;
  }
  if (Object.keys(designer).length > 0) metadata.designer = designer; else delete metadata.designer;
  if (Object.keys(metadata).length > 0) root.metadata = metadata; else delete root.metadata;
  document.root = root;
  return document;
}

export function position(activity: Activity): { x: number; y: number } {
  const p = ((activity.metadata as JsonObject | undefined)?.designer as JsonObject | undefined)?.position as { x: number; y: number } | undefined;
  return p ?? { x: 0, y: 0 };
}

export function withPosition(activity: Activity, x: number, y: number): Activity {
  const metadata = { ...((activity.metadata ?? {}) as JsonObject) };
  metadata.designer = { ...((metadata.designer ?? {}) as JsonObject), position: { x, y } };
  return { ...activity, metadata };
}

export function activityName(activity: Activity): string | undefined {
  return typeof activity.name === "string" ? activity.name : typeof activity.displayName === "string" ? activity.displayName : undefined;
}

/** A new id from the type ("hearing", "hearing-2", …) that no activity in the flow has yet. */
export function newId(type: string, taken: Set<string>): string {
  const base = type.replace(/([a-z])([A-Z])/g, "$1-$2").toLowerCase();
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

export const portNames: Record<string, string> = {
  Done: "Færdig", True: "Ja", False: "Nej", AllAnswered: "Alle har svaret", DeadlinePassed: "Fristen er udløbet",
  Approved: "Godkendt", NotApproved: "Ikke godkendt", Rejected: "Afvist", Postponed: "Udsat", Discussed: "Drøftet", Default: "Ellers",
};
export const portName = (port: string) => portNames[port] ?? port;

export const regions: { slug: string; name: string }[] = [
  { slug: "hovedstaden", name: "Region Hovedstaden" },
  { slug: "sjaelland", name: "Region Sjælland" },
  { slug: "syddanmark", name: "Region Syddanmark" },
  { slug: "midtjylland", name: "Region Midtjylland" },
  { slug: "nordjylland", name: "Region Nordjylland" },
];
