import { useEffect, useMemo, useState } from "react";
import { Background, Controls, MiniMap, ReactFlow, useReactFlow, type Edge } from "@xyflow/react";
import { api, type ActivityType } from "./api";
import { activityName, fromDocument, position, type Doc } from "./model";
import { nodeTypes, type ActivityFlowNode } from "./nodes";

type Journal = { at: string; kind: string; activityId: string | null; message: string }[];
const answeredStatuses = new Set(["Answered", "NoComments", "AnsweredLate"]);

/** A running instance on its version's diagram: per activity done / waiting / failed (colour and a text label). */
export function InstanceView(props: { instanceId: string; types: ActivityType[] }) {
  const flow = useReactFlow();
  const [instance, setInstance] = useState<any>(null);
  const [doc, setDoc] = useState<Doc | null>(null);
  const [journal, setJournal] = useState<Journal>([]);
  const [incidents, setIncidents] = useState<any[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [message, setMessage] = useState("");
  const load = async (fit = true) => {
    const details = await api.instance(props.instanceId);
    setInstance(details);
    const definition = await api.definition(details.definitionId, details.definitionVersion);
    setDoc(fromDocument(definition.data.definition));
    setJournal(await api.journal(props.instanceId));
    setIncidents(await api.incidents(props.instanceId).catch(() => []));
    if (fit) window.setTimeout(() => flow.fitView(), 50);
  };
  useEffect(() => {
    load().catch(() => setMessage("Forløbet findes ikke."));
    // A running instance changes as answers come in; refresh quietly, keeping the user's view.
    const timer = window.setInterval(() => { load(false).catch(() => undefined); }, 15000);
    return () => window.clearInterval(timer);
  }, [props.instanceId]);

  const types = useMemo(() => new Map(props.types.map(t => [t.type, t])), [props.types]);
  const states = useMemo(() => {
    const result = new Map<string, ActivityFlowNode["data"]["status"]>();
    for (const line of journal) {
      if (!line.activityId) continue;
      if (line.kind === "ActivityCompleted") result.set(line.activityId, { kind: "done", label: "Færdig" });
      else if (line.kind === "ActivityFailed") result.set(line.activityId, { kind: "failed", label: "Fejlet" });
      else if (line.kind === "ActivityWaiting" || line.kind === "ActivityStarted" || line.kind === "ActivityResumed") {
        if (result.get(line.activityId)?.kind !== "done") result.set(line.activityId, { kind: "waiting", label: "Venter" });
      }
    }
    for (const wait of instance?.waitingFor ?? []) result.set(wait.activityId, { kind: "waiting", label: "Venter" });
    for (const incident of incidents) result.set(incident.activityId, { kind: "failed", label: "Fejlet" });
    // "12 af 19 svar" on each hearing.
    const byActivity = new Map<string, any[]>();
    for (const party of instance?.parties ?? []) byActivity.set(party.activityId, [...(byActivity.get(party.activityId) ?? []), party]);
    for (const [activityId, parties] of byActivity) {
      const answered = parties.filter(p => answeredStatuses.has(p.status)).length;
      const state = result.get(activityId) ?? { kind: "idle" as const, label: "Ikke startet" };
      result.set(activityId, { ...state, detail: `${answered} af ${parties.length} svar` });
    }
    return result;
  }, [journal, instance, incidents]);

  const nodes = useMemo<ActivityFlowNode[]>(() => (doc?.activities ?? []).map(a => {
    const state = states.get(a.id) ?? { kind: "idle" as const, label: "Ikke startet" };
    const type = types.get(a.type);
    return {
      id: a.id, type: "activity", position: position(a), selected: a.id === selected, draggable: false,
      ariaLabel: `${type?.displayName ?? a.type}: ${activityName(a) ?? a.id} – ${state.label}${state.detail ? `, ${state.detail}` : ""}`,
      data: {
        typeName: type?.displayName ?? a.type, name: activityName(a) ?? a.id, hasInput: a.type !== "Start",
        ports: [...new Set(doc!.connections.filter(c => c.source.activity === a.id).map(c => c.source.port))], problems: 0, status: state,
      },
    };
  }), [doc, states, selected, types]);
  const edges = useMemo<Edge[]>(() => (doc?.connections ?? []).map(c => ({
    id: `${c.source.activity}:${c.source.port}->${c.target.activity}`, source: c.source.activity, sourceHandle: c.source.port, target: c.target.activity, targetHandle: "In",
  })), [doc]);

  const activityLabel = (id: string) => {
    const activity = doc?.activities.find(a => a.id === id);
    return activity ? activityName(activity) ?? types.get(activity.type)?.displayName ?? id : id;
  };
  if (!instance || !doc) return <main><h1>Forløb</h1><p role="status">{message || "Indlæser …"}</p></main>;
  return (
    <div className="designer instance">
      <header className="toolbar">
        <h1>{instance.name}</h1>
        <p>Status: <strong data-testid="instance-status">{statusName(instance.status)}</strong> · {instance.definitionId} version {instance.definitionVersion}</p>
        <nav aria-label="Værktøjer" className="tools">
          <a href="/">Overblik</a>
          <a href={`/designer/definitions/${encodeURIComponent(instance.definitionId)}`}>Åbn definitionen i designeren</a>
          <button type="button" onClick={() => void load()}>Opdatér</button>
        </nav>
        <p role="status" className="status">{message}</p>
      </header>
      <main className="canvas" aria-label="Forløbets tegning">
        <ReactFlow nodes={nodes} edges={edges} nodeTypes={nodeTypes} nodesConnectable={false} fitView
          onNodeClick={(_, node) => setSelected(node.id)} proOptions={{ hideAttribution: true }}>
          <Background /><Controls showInteractive={false} /><MiniMap ariaLabel="Oversigtskort" nodeColor="#1d3557" />
        </ReactFlow>
      </main>
      <aside className="side" aria-label="Journal og hændelser">
        <section aria-labelledby="incidents-heading">
          <h2 id="incidents-heading">Hændelser ({incidents.length})</h2>
          {incidents.length === 0 ? <p>Ingen åbne hændelser.</p> : (
            <ul>
              {incidents.map(i => (
                <li key={i.incidentId}>
                  <button type="button" className="link" onClick={() => setSelected(i.activityId)}>{activityLabel(i.activityId)}</button>: {i.message} (forsøg {i.attempt})
                </li>
              ))}
            </ul>
          )}
          {(incidents.length > 0 || instance.status === "Faulted") && (
            <button type="button" onClick={async () => {
              try {
                const result = await api.retry(props.instanceId);
                await load();
                setMessage(result.status === "Faulted" ? "Forsøget mislykkedes igen; se hændelserne." : "Forløbet kører videre.");
              } catch { setMessage("Forløbet kunne ikke forsøges igen."); }
            }}>Forsøg igen</button>
          )}
        </section>
        <section aria-labelledby="journal-heading">
          <h2 id="journal-heading">Journal</h2>
          <ol className="journal" data-testid="journal">
            {journal.map((line, i) => (
              <li key={i}>
                {line.activityId ? (
                  <button type="button" className="link" onClick={() => setSelected(line.activityId)}>
                    <time dateTime={line.at}>{new Date(line.at).toLocaleString("da-DK", { timeZone: "Europe/Copenhagen" })}</time> {line.message}
                  </button>
                ) : <span><time dateTime={line.at}>{new Date(line.at).toLocaleString("da-DK", { timeZone: "Europe/Copenhagen" })}</time> {line.message}</span>}
              </li>
            ))}
          </ol>
        </section>
      </aside>
    </div>
  );
}

function statusName(status: string): string {
  return ({ Running: "I gang", Suspended: "Venter", Finished: "Afsluttet", Cancelled: "Annulleret", Faulted: "Fejlet" } as Record<string, string>)[status] ?? status;
}
