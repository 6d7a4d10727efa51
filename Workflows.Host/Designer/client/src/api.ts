// The host's JSON API, called with the signed-in staff member's cookie.
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface PropertyDescription { name: string; kind: string; required: boolean; displayName: string; values: string[] | null }
export interface ActivityType {
  type: string; displayName: string; category: string; description: string; canWait: boolean;
  properties: PropertyDescription[]; ports: string[];
}
export interface Problem { path: string; activityId: string | null; message: string; severity: "error" | "warning" }
export interface CheckResult { problems: Problem[]; ports: Record<string, string[]>; canPublish: boolean; errors?: Record<string, string[]> }
export interface VersionSummary { version: number; name: string; isPublished: boolean; createdAt: string; publishedAt: string | null }
export interface DefinitionSummary { definitionId: string; name: string; description: string | null; latestVersion: number; publishedVersion: number | null }
export interface DefinitionDocument { definitionId: string; version: number; name: string; isPublished: boolean; definition: JsonObject }
export interface Change { kind: string; activityId: string | null; text: string }
export interface RehearsalStep {
  at: string; when: string; kind: string; activityId: string | null; partyId: string | null; to: string[];
  template: string | null; subject: string | null; text: string | null;
}
export interface ElsaNote { path: string; message: string }
export interface ElsaActivityReport { path: string; id: string; type: string; status: string; as: string | null; draftPath: string | null; notes: ElsaNote[] }
export interface ElsaImported {
  definitionId: string; publishable: boolean; definition: JsonObject;
  report: { counts: { mapped: number; approximated: number; unsupported: number }; activities: ElsaActivityReport[]; notes: ElsaNote[]; unresolved: { path: string; message: string }[] };
}
export interface RehearsalReport { status: string; stopped: boolean; waitingFor: string[]; mails: number; steps: RehearsalStep[] }

export class HttpError extends Error {
  constructor(public status: number, public body: any) { super(`HTTP ${status}`); }
}

async function call<T>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ data: T; etag: string | null }> {
  const response = await fetch(url, {
    method,
    credentials: "same-origin",
    headers: body === undefined ? headers : { "Content-Type": "application/json", ...headers },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  const data = text.length > 0 && (response.headers.get("content-type") ?? "").includes("json") ? JSON.parse(text) : text;
  if (!response.ok) throw new HttpError(response.status, data);
  return { data: data as T, etag: response.headers.get("ETag")?.replace(/"/g, "") ?? null };
}

export const api = {
  activities: () => call<ActivityType[]>("GET", "/api/activities").then(r => r.data),
  definitions: () => call<DefinitionSummary[]>("GET", "/api/definitions").then(r => r.data),
  definition: (id: string, version?: number) =>
    call<DefinitionDocument>("GET", `/api/definitions/${encodeURIComponent(id)}${version ? `?version=${version}` : ""}`),
  versions: (id: string) => call<VersionSummary[]>("GET", `/api/definitions/${encodeURIComponent(id)}/versions`).then(r => r.data),
  save: (document: JsonObject, revision: string | null) =>
    call<{ definitionId: string; version: number }>("POST", "/api/definitions", JSON.stringify(document), revision ? { "If-Match": `"${revision}"` } : {}),
  validate: async (document: JsonObject): Promise<CheckResult> => {
    try {
      return (await call<CheckResult>("POST", "/api/definitions/validate", JSON.stringify(document))).data;
    } catch (error) {
      if (error instanceof HttpError && error.status === 400 && error.body?.problems) return error.body as CheckResult;
      throw error;
    }
  },
  publish: (id: string) => call<{ definitionId: string; version: number }>("POST", `/api/definitions/${encodeURIComponent(id)}/publish?strict=true`).then(r => r.data),
  restore: (id: string, version: number, revision: string | null) =>
    call<{ definitionId: string; version: number }>("POST", `/api/definitions/${encodeURIComponent(id)}/versions/${version}/restore`, undefined,
      revision ? { "If-Match": `"${revision}"` } : {}),
  diff: (id: string, from: number, to: number) =>
    call<{ changes: Change[] }>("GET", `/api/definitions/${encodeURIComponent(id)}/diff?from=${from}&to=${to}`).then(r => r.data.changes),
  text: (id: string) => call<{ lines: string[] }>("GET", `/api/definitions/${encodeURIComponent(id)}/text`).then(r => r.data.lines),
  parties: (region: string) => call<{ id: string; name: string }[]>("GET", `/api/parties?region=${region}`).then(r => r.data),
  groups: () => call<{ id: string; name: string; count: number; members: string[] }[]>("GET", "/api/parties/groups").then(r => r.data),
  meetings: () => call<{ body: string; name: string; meetings: { local: string; text: string }[] }[]>("GET", "/api/meetings").then(r => r.data),
  clock: () => call<{ now: string }>("GET", "/api/clock").then(r => r.data.now).catch(() => null),
  deadline: (query: string) => call<{ text: string; warnings: string[] }>("GET", `/api/calendar/deadline?${query}`).then(r => r.data),
  instance: (id: string) => call<any>("GET", `/api/instances/${id}`).then(r => r.data),
  journal: (id: string) => call<any[]>("GET", `/api/instances/${id}/journal`).then(r => r.data),
  incidents: (instanceId: string) => call<any[]>("GET", `/api/incidents?instanceId=${instanceId}`).then(r => r.data),
  importElsa: (text: string) => call<ElsaImported>("POST", "/api/definitions/import/elsa?dryRun=true", text).then(r => r.data),
  rehearse: (request: unknown) => call<RehearsalReport>("POST", "/api/definitions/rehearsal", request).then(r => r.data),
  retry: (id: string) => call<any>("POST", `/api/instances/${id}/retry`).then(r => r.data),
};
