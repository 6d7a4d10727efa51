import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from "react";
import {
  Background, Controls, MiniMap, ReactFlow, useReactFlow, type Edge, type NodeChange, type Connection as FlowConnection,
} from "@xyflow/react";
import { api, HttpError, type ActivityType, type Change, type Json, type JsonObject, type Problem, type VersionSummary } from "./api";
import { PropertyField } from "./fields";
import { autoLayout } from "./layout";
import {
  activityName, fromDocument, newId, portName, position, toDocument, withPosition, type Activity, type Connection, type Doc, type Note,
} from "./model";
import { nodeTypes, type ActivityFlowNode, type NoteFlowNode } from "./nodes";
import { ElsaImportButton } from "./ElsaImport";
import { RehearsalButton } from "./Rehearsal";
import { exportSvg } from "./svg";

type Status = { text: string; alert?: boolean };

const emptyDoc = (): Doc => ({
  meta: { definitionId: "nyt-forloeb", name: "Nyt forløb", root: { type: "Flowchart" } },
  activities: [], connections: [], notes: [],
});

export function Editor(props: { definitionId: string | null; types: ActivityType[]; clockNow: string | null }) {
  const { types, clockNow } = props;
  const flow = useReactFlow();
  const [doc, setDocState] = useState<Doc | null>(props.definitionId ? null : emptyDoc());
  const docRef = useRef<Doc | null>(doc);
  const history = useRef<{ past: Doc[]; future: Doc[] }>({ past: [], future: [] });
  const revision = useRef<string | null>(props.definitionId ? null : "new");
  // The definition the revision belongs to: a flow saved under a new id is a new definition ("new").
  const revisionOf = useRef<string | null>(props.definitionId);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [ports, setPorts] = useState<Record<string, string[]>>({});
  const [status, setStatus] = useState<Status>({ text: "" });
  const [dirty, setDirty] = useState(false);
  const [changed, setChanged] = useState<Set<string>>(new Set());
  const [search, setSearch] = useState("");
  const [conflict, setConflict] = useState(false);
  const clipboard = useRef<Activity[]>([]);
  const typeByName = useMemo(() => new Map(types.map(t => [t.type, t])), [types]);

  const setDoc = useCallback((next: Doc) => { docRef.current = next; setDocState(next); }, []);
  /** A change the user made: undoable, saved and checked shortly after. */
  const commit = useCallback((next: Doc, previous?: Doc) => {
    const before = previous ?? docRef.current;
    if (before) {
      history.current.past.push(before);
      history.current.future = [];
      // Snapshots share unchanged activities, but a long session of small moves must not grow without end.
      if (history.current.past.length > 200) history.current.past.shift();
    }
    setDoc(next);
    setDirty(true);
  }, [setDoc]);

  // Load.
  useEffect(() => {
    if (!props.definitionId) return;
    api.definition(props.definitionId).then(({ data, etag }) => {
      revision.current = etag;
      setDoc(fromDocument(data.definition));
      setStatus({ text: `Version ${data.version} (${data.isPublished ? "udgivet" : "kladde"}) er åbnet.` });
      // Two frames later the flow is on screen; the mark lets a test (or a person in DevTools) read the open time.
      // (React Flow's fitView prop fits the loaded flow once its nodes are measured; fitting again here would
      // move the nodes under a keyboard user who has just focused one.)
      requestAnimationFrame(() => requestAnimationFrame(() => performance.mark("procesflow:drawn")));
    }).catch(() => setStatus({ text: "Forløbet findes ikke.", alert: true }));
  }, [props.definitionId, setDoc, flow]);

  // Checks while editing: the server's own validation plus the graph checks, shortly after each change.
  useEffect(() => {
    if (!doc) return;
    const timer = window.setTimeout(() => {
      api.validate(toDocument(doc)).then(r => { setProblems(r.problems); setPorts(r.ports); }).catch(() => undefined);
    }, 250);
    return () => window.clearTimeout(timer);
  }, [doc]);

  /** Puts an imported document on the canvas, as a new draft of its id (or the next version of an existing one). */
  const open = useCallback(async (document: JsonObject, text: string) => {
    const imported = fromDocument(document);
    const existing = await api.definition(String(imported.meta.definitionId)).catch(() => null);
    revision.current = existing?.etag ?? "new";
    revisionOf.current = String(imported.meta.definitionId);
    commit(imported); setSelectedId(null);
    setStatus({ text });
    window.setTimeout(() => flow.fitView(), 50);
  }, [commit, flow]);

  const save = useCallback(async (): Promise<boolean> => {
    const current = docRef.current;
    if (!current) return false;
    let expected: string | null = null;
    try {
      const id = String(current.meta.definitionId ?? "");
      expected = revisionOf.current === null || revisionOf.current === id ? revision.current : "new";
      const { data, etag } = await api.save(toDocument(current), expected);
      revision.current = etag;
      revisionOf.current = data.definitionId;
      setDirty(false);
      setStatus({ text: `Kladden er gemt som version ${data.version}.` });
      if (!props.definitionId || props.definitionId !== data.definitionId) {
        window.history.replaceState(null, "", `/designer/definitions/${encodeURIComponent(data.definitionId)}`);
      }
      return true;
    } catch (error) {
      if (error instanceof HttpError && error.status === 409 && expected === "new") {
        setStatus({ text: `Der findes allerede et forløb med id'et »${String(current.meta.definitionId)}«. Vælg et andet id.`, alert: true });
      } else if (error instanceof HttpError && error.status === 409) {
        setConflict(true);
        setStatus({ text: "Kladden er ændret af en anden, siden du åbnede den. Dine ændringer er ikke gemt.", alert: true });
      } else if (error instanceof HttpError && error.status === 400) {
        setStatus({ text: "Kladden er ikke gemt: forløbet har fejl (se Problemer)." });
      } else {
        setStatus({ text: "Kladden kunne ikke gemmes.", alert: true });
      }
      return false;
    }
  }, [props.definitionId]);

  const discarding = useRef(false);
  // Leaving with changes that are not saved yet (or could not be) asks first.
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => { if (!discarding.current) event.preventDefault(); };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);

  // Auto-save drafts.
  useEffect(() => {
    if (!dirty || conflict) return;
    const timer = window.setTimeout(() => { void save(); }, 1200);
    return () => window.clearTimeout(timer);
  }, [doc, dirty, conflict, save]);

  const publish = async () => {
    const current = docRef.current;
    if (!current) return;
    const checked = await api.validate(toDocument(current));
    setProblems(checked.problems);
    const errors = checked.problems.filter(p => p.severity === "error");
    if (errors.length > 0) {
      setStatus({ text: `Forløbet kan ikke udgives: ${errors.length === 1 ? "1 fejl" : `${errors.length} fejl`}. Se listen over problemer.`, alert: true });
      return;
    }
    if ((dirty || revision.current === "new") && !(await save())) return;
    try {
      const published = await api.publish(String(current.meta.definitionId));
      setStatus({ text: `Version ${published.version} er udgivet.` });
      const reloaded = await api.definition(String(current.meta.definitionId));
      revision.current = reloaded.etag;
    } catch {
      setStatus({ text: "Forløbet kunne ikke udgives.", alert: true });
    }
  };

  const undo = () => {
    const previous = history.current.past.pop();
    if (!previous || !docRef.current) return;
    history.current.future.push(docRef.current);
    setDoc(previous); setDirty(true);
  };
  const redo = () => {
    const next = history.current.future.pop();
    if (!next || !docRef.current) return;
    history.current.past.push(docRef.current);
    setDoc(next); setDirty(true);
  };

  const addActivity = (type: ActivityType) => {
    const current = docRef.current!;
    const taken = new Set(current.activities.map(a => a.id));
    const id = newId(type.type, taken);
    const anchor = current.activities.find(a => a.id === selectedId) ?? current.activities[current.activities.length - 1];
    const at = anchor ? { x: position(anchor).x + 260, y: position(anchor).y } : { x: 0, y: 0 };
    while (current.activities.some(a => position(a).x === at.x && position(a).y === at.y)) at.y += 120;
    const activity = withPosition({ id, type: type.type, name: type.displayName }, at.x, at.y);
    commit({ ...current, activities: [...current.activities, activity] });
    setSelectedId(id);
    setStatus({ text: `${type.displayName} er tilføjet.` });
    reveal(id, at);
  };

  /** Brings an activity into view (in a big flow only what is in view is rendered, which keeps it fast). */
  const reveal = (id: string, at?: { x: number; y: number }) => {
    window.setTimeout(() => {
      const current = docRef.current;
      if (!current) return;
      if (current.activities.length <= 12) { flow.fitView({ maxZoom: 1 }); return; }
      const p = at ?? position(current.activities.find(a => a.id === id) ?? { id, type: "" });
      flow.setCenter(p.x + 100, p.y + 45, { zoom: flow.getZoom() });
    }, 0);
  };

  const removeSelected = () => {
    const current = docRef.current!;
    if (!selectedId) return;
    if (current.notes.some(n => n.id === selectedId)) {
      commit({ ...current, notes: current.notes.filter(n => n.id !== selectedId) });
    } else {
      commit({
        ...current,
        activities: current.activities.filter(a => a.id !== selectedId),
        connections: current.connections.filter(c => c.source.activity !== selectedId && c.target.activity !== selectedId),
      });
    }
    setStatus({ text: "Aktiviteten er slettet." });
    setSelectedId(null);
  };

  const copy = () => {
    const activity = docRef.current?.activities.find(a => a.id === selectedId);
    if (activity) { clipboard.current = [structuredClone(activity)]; setStatus({ text: "Kopieret." }); }
  };
  const paste = () => {
    const current = docRef.current!;
    if (clipboard.current.length === 0) return;
    const taken = new Set(current.activities.map(a => a.id));
    const pasted = clipboard.current.map(a => {
      const id = newId(a.type, taken); taken.add(id);
      const p = position(a);
      return withPosition({ ...structuredClone(a), id }, p.x + 40, p.y + 40);
    });
    commit({ ...current, activities: [...current.activities, ...pasted] });
    setSelectedId(pasted[pasted.length - 1].id);
    setStatus({ text: "Indsat med nyt id." });
  };

  const move = (dx: number, dy: number) => {
    const current = docRef.current!;
    if (current.notes.some(n => n.id === selectedId)) {
      commit({ ...current, notes: current.notes.map(n => n.id === selectedId ? { ...n, x: n.x + dx, y: n.y + dy } : n) });
      return;
    }
    commit({ ...current, activities: current.activities.map(a => a.id === selectedId ? withPosition(a, position(a).x + dx, position(a).y + dy) : a) });
  };

  const layout = async () => {
    const current = docRef.current!;
    const positions = await autoLayout(current.activities, current.connections);
    commit({ ...current, activities: current.activities.map(a => positions.has(a.id) ? withPosition(a, positions.get(a.id)!.x, positions.get(a.id)!.y) : a) });
    window.setTimeout(() => flow.fitView(), 50);
    setStatus({ text: "Tegningen er ordnet automatisk." });
  };

  const connect = (source: string, port: string, target: string | null) => {
    const current = docRef.current!;
    const others = current.connections.filter(c => !(c.source.activity === source && c.source.port === port));
    const next = target ? [...others, { source: { activity: source, port }, target: { activity: target, port: "In" } }] : others;
    commit({ ...current, connections: next });
  };

  // Undo/redo/copy/paste work wherever the focus is (also on the page itself after a node was deleted),
  // except in a text field, where the browser's own undo and clipboard apply.
  const shortcuts = useRef<(event: KeyboardEvent) => void>(() => undefined);
  shortcuts.current = (event: KeyboardEvent) => {
    const target = event.target as HTMLElement;
    if (["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName) || target.closest("dialog")) return;
    const mod = event.ctrlKey || event.metaKey;
    if (!mod) return;
    const key = event.key.toLowerCase();
    if (key === "z") { event.preventDefault(); if (event.shiftKey) redo(); else undo(); }
    else if (key === "y") { event.preventDefault(); redo(); }
    else if (key === "c") { copy(); }
    else if (key === "v") { paste(); }
  };
  useEffect(() => {
    const listener = (event: KeyboardEvent) => shortcuts.current(event);
    window.addEventListener("keydown", listener);
    return () => window.removeEventListener("keydown", listener);
  }, []);

  const onKeyDown = (event: ReactKeyboardEvent) => {
    const target = event.target as HTMLElement;
    if (["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName) || target.closest("dialog")) return;
    if ((event.key === "Delete" || event.key === "Backspace") && selectedId && target.closest(".canvas")) { event.preventDefault(); removeSelected(); }
    else if (selectedId && target.closest(".canvas") && event.key.startsWith("Arrow")) {
      event.preventDefault(); event.stopPropagation();
      const step = event.shiftKey ? 100 : 20;
      const [dx, dy] = event.key === "ArrowLeft" ? [-step, 0] : event.key === "ArrowRight" ? [step, 0] : event.key === "ArrowUp" ? [0, -step] : [0, step];
      move(dx, dy);
    }
  };

  // Nodes and edges for React Flow, rebuilt per activity only when that activity (or its marks) changed.
  const problemCount = useMemo(() => {
    const counts = new Map<string, number>();
    for (const p of problems) if (p.activityId) counts.set(p.activityId, (counts.get(p.activityId) ?? 0) + 1);
    return counts;
  }, [problems]);
  const nodeCache = useRef(new Map<string, { activity: Activity; key: string; node: ActivityFlowNode }>());
  const nodes = useMemo(() => {
    if (!doc) return [];
    const cache = nodeCache.current;
    const result: (ActivityFlowNode | NoteFlowNode)[] = doc.activities.map(activity => {
      const type = typeByName.get(activity.type);
      const activityPorts = ports[activity.id] ?? portsFromConnections(activity, doc.connections, type);
      const key = `${activityPorts.join(",")}|${problemCount.get(activity.id) ?? 0}|${activity.id === selectedId}|${changed.has(activity.id)}`;
      const hit = cache.get(activity.id);
      if (hit && hit.activity === activity && hit.key === key) return hit.node;
      const name = activityName(activity) ?? type?.displayName ?? activity.type;
      const node: ActivityFlowNode = {
        id: activity.id, type: "activity", position: position(activity), selected: activity.id === selectedId,
        ariaLabel: `${type?.displayName ?? activity.type}: ${name}`,
        data: {
          typeName: type?.displayName ?? activity.type, name, ports: activityPorts, hasInput: activity.type !== "Start",
          problems: problemCount.get(activity.id) ?? 0, changed: changed.has(activity.id),
        },
      };
      cache.set(activity.id, { activity, key, node });
      return node;
    });
    for (const note of doc.notes) {
      result.push({ id: note.id, type: "note", position: { x: note.x, y: note.y }, selected: note.id === selectedId, ariaLabel: `Note: ${note.text}`, data: { text: note.text } });
    }
    return result;
  }, [doc, ports, problemCount, selectedId, changed, typeByName]);
  const edges = useMemo<Edge[]>(() => (doc?.connections ?? []).map(c => ({
    id: `${c.source.activity}:${c.source.port}->${c.target.activity}`, source: c.source.activity, sourceHandle: c.source.port,
    target: c.target.activity, targetHandle: "In", ariaLabel: `Forbindelse fra ${c.source.activity} (${portName(c.source.port)}) til ${c.target.activity}`,
  })), [doc?.connections]);

  const dragStart = useRef<Doc | null>(null);
  const onNodesChange = (changes: NodeChange[]) => {
    let current = docRef.current!;
    let moved = false;
    for (const change of changes) {
      if (change.type === "select" && change.selected) setSelectedId(change.id);
      if (change.type === "position" && change.position) {
        if (change.dragging && !dragStart.current) dragStart.current = current;
        const { x, y } = change.position;
        if (current.notes.some(n => n.id === change.id)) current = { ...current, notes: current.notes.map(n => n.id === change.id ? { ...n, x, y } : n) };
        else current = { ...current, activities: current.activities.map(a => a.id === change.id ? withPosition(a, x, y) : a) };
        moved = true;
      }
      if (change.type === "position" && change.dragging === false && dragStart.current) {
        history.current.past.push(dragStart.current); history.current.future = []; dragStart.current = null; setDirty(true);
      }
    }
    if (moved) setDoc(current);
  };
  const onConnect = (connection: FlowConnection) => {
    if (connection.source && connection.target && connection.sourceHandle) connect(connection.source, connection.sourceHandle, connection.target);
  };

  const selectProblem = (problem: Problem) => {
    if (!problem.activityId) return;
    setSelectedId(problem.activityId);
    const activity = docRef.current?.activities.find(a => a.id === problem.activityId);
    if (activity) reveal(activity.id);
  };

  if (!doc) return <main className="loading"><h1>Designer</h1><p role="status">{status.text || "Indlæser …"}</p></main>;
  const selectedActivity = doc.activities.find(a => a.id === selectedId) ?? null;
  const selectedNote = doc.notes.find(n => n.id === selectedId) ?? null;
  const errors = problems.filter(p => p.severity === "error");
  // An import's placeholder stands for what could not be carried over; it is replaced, never added by hand.
  const addable = types.filter(t => t.type !== "Unresolved");
  const categories = [...new Set(addable.map(t => t.category))];
  const matches = (t: ActivityType) => t.type !== "Unresolved"
    && (search.trim() === "" || `${t.displayName} ${t.type} ${t.description}`.toLowerCase().includes(search.trim().toLowerCase()));
  const definitionId = String(doc.meta.definitionId ?? "");

  return (
    <div className="designer" onKeyDownCapture={onKeyDown}>
      <header className="toolbar">
        <h1>{String(doc.meta.name ?? "Designer")}</h1>
        <nav aria-label="Værktøjer" className="tools">
          <a href="/designer">Alle forløb</a>
          <button type="button" onClick={undo}>Fortryd</button>
          <button type="button" onClick={redo}>Gentag</button>
          <button type="button" onClick={copy} disabled={!selectedActivity}>Kopiér</button>
          <button type="button" onClick={paste}>Indsæt</button>
          <button type="button" onClick={() => void layout()}>Ordn automatisk</button>
          <button type="button" onClick={() => flow.fitView()}>Tilpas visning</button>
          <button type="button" onClick={() => {
            const current = docRef.current!;
            const id = newId("note", new Set(current.notes.map(n => n.id)));
            // In the middle of what is in view, so it is seen (and drawn) at once.
            const pane = document.querySelector(".canvas")?.getBoundingClientRect();
            const at = pane ? flow.screenToFlowPosition({ x: pane.left + pane.width / 2, y: pane.top + pane.height / 3 }) : { x: 0, y: -160 };
            commit({ ...current, notes: [...current.notes, { id, text: "Ny note", x: Math.round(at.x), y: Math.round(at.y) }] });
            setSelectedId(id);
          }}>Tilføj note</button>
          <button type="button" onClick={() => void save()}>Gem kladde</button>
          <button type="button" className="primary" onClick={() => void publish()}>Udgiv</button>
          <VersionsButton definitionId={definitionId} revision={revision} onRestored={(d, etag) => { revision.current = etag; commit(d); setDirty(false); }}
            onChanged={setChanged} setStatus={setStatus} />
          <TextButton definitionId={definitionId} save={save} dirty={dirty} />
          <RehearsalButton document={() => toDocument(docRef.current!)} onSelect={setSelectedId} />
          <button type="button" onClick={() => download(`${definitionId}.json`, JSON.stringify(toDocument(doc), null, 2), "application/json")}>Eksportér JSON</button>
          <label className="file">Importér JSON
            <input type="file" accept="application/json,.json" onChange={async e => {
              const file = e.target.files?.[0];
              if (!file) return;
              try {
                await open(JSON.parse(await file.text()), `${file.name} er importeret.`);
              } catch { setStatus({ text: "Filen er ikke en gyldig definition (JSON).", alert: true }); }
            }} />
          </label>
          <ElsaImportButton onImported={(document, text) => open(document, text)} />
          <button type="button" onClick={() => download(`${definitionId}.svg`, exportSvg(doc, typeByName), "image/svg+xml")}>Eksportér SVG</button>
          <a href={`/designer/definitions/${encodeURIComponent(definitionId)}/print`}>Udskriftsvenlig side</a>
        </nav>
        <p className={status.alert ? "status alert" : "status"} role={status.alert ? "alert" : "status"} data-testid="designer-status">{status.text}</p>
        {conflict && (
          <p className="conflict">
            <button type="button" onClick={() => { discarding.current = true; window.location.reload(); }}>Hent den nyeste version</button>
          </p>
        )}
      </header>

      <aside className="palette" aria-label="Aktiviteter">
        <h2>Aktiviteter</h2>
        <label htmlFor="palette-search">Søg aktivitet</label>
        <input id="palette-search" type="search" value={search} onChange={e => setSearch(e.target.value)} />
        {categories.map(category => {
          const inCategory = types.filter(t => t.category === category && matches(t));
          if (inCategory.length === 0) return null;
          return (
            <section key={category} aria-label={category}>
              <h3>{category}</h3>
              <ul>
                {inCategory.map(t => (
                  <li key={t.type}>
                    <button type="button" draggable title={t.description} onClick={() => addActivity(t)}
                      onDragStart={e => e.dataTransfer.setData("application/x-procesflow-activity", t.type)}>
                      <span aria-hidden="true">+ </span>{t.displayName}
                    </button>
                  </li>
                ))}
              </ul>
            </section>
          );
        })}
      </aside>

      <main className="canvas" aria-label="Tegning"
        onDragOver={e => e.preventDefault()}
        onDrop={e => {
          const type = typeByName.get(e.dataTransfer.getData("application/x-procesflow-activity"));
          if (!type) return;
          e.preventDefault();
          const at = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
          const current = docRef.current!;
          const id = newId(type.type, new Set(current.activities.map(a => a.id)));
          commit({ ...current, activities: [...current.activities, withPosition({ id, type: type.type, name: type.displayName }, Math.round(at.x), Math.round(at.y))] });
          setSelectedId(id);
        }}
        onFocusCapture={e => {
          const id = (e.target as HTMLElement).closest(".react-flow__node")?.getAttribute("data-id");
          if (id) setSelectedId(id);
        }}>
        <ReactFlow nodes={nodes} edges={edges} nodeTypes={nodeTypes} onNodesChange={onNodesChange} onConnect={onConnect}
          onPaneClick={() => setSelectedId(null)} deleteKeyCode={null} fitView minZoom={0.05} onlyRenderVisibleElements={doc.activities.length > 100}
          ariaLabelConfig={{ "node.a11yDescription.default": "Tryk Enter for at vælge, piletasterne for at flytte." }}
          proOptions={{ hideAttribution: true }}>
          <Background />
          <Controls showInteractive={false} aria-label="Zoom" />
          <MiniMap pannable zoomable ariaLabel="Oversigtskort" nodeColor={n => n.type === "note" ? "#e6d200" : "#1d3557"} />
        </ReactFlow>
      </main>

      <aside className="side" aria-label="Egenskaber og problemer">
        <section className="properties" aria-labelledby="properties-heading">
          <h2 id="properties-heading">{selectedActivity ? `Egenskaber for ${activityName(selectedActivity) ?? selectedActivity.id}` : selectedNote ? "Note" : "Forløbet"}</h2>
          <div className="field">
            <label htmlFor="goto">Vælg aktivitet</label>
            <select id="goto" value={selectedActivity?.id ?? ""} onChange={e => { setSelectedId(e.target.value === "" ? null : e.target.value); if (e.target.value !== "") reveal(e.target.value); }}>
              <option value="">(forløbet)</option>
              {doc.activities.map(a => <option key={a.id} value={a.id}>{activityName(a) ?? a.id} ({a.id})</option>)}
            </select>
          </div>
          {selectedActivity ? (
            <ActivityProperties activity={selectedActivity} doc={doc} type={typeByName.get(selectedActivity.type)}
              ports={ports[selectedActivity.id] ?? portsFromConnections(selectedActivity, doc.connections, typeByName.get(selectedActivity.type))}
              clockNow={clockNow}
              onChange={next => { const current = docRef.current!; commit({ ...current, activities: current.activities.map(a => a.id === next.id ? next : a) }); }}
              onConnect={connect} onDelete={removeSelected} />
          ) : selectedNote ? (
            <NoteProperties note={selectedNote} onChange={next => { const current = docRef.current!; commit({ ...current, notes: current.notes.map(n => n.id === next.id ? next : n) }); }}
              onDelete={removeSelected} />
          ) : (
            <DefinitionProperties doc={doc} onChange={meta => commit({ ...docRef.current!, meta })} />
          )}
        </section>
        <section className="problems" aria-labelledby="problems-heading">
          <h2 id="problems-heading">Problemer ({errors.length === 1 ? "1 fejl" : `${errors.length} fejl`})</h2>
          {problems.length === 0 ? <p>Ingen problemer fundet.</p> : (
            <ul data-testid="problems">
              {problems.map((p, i) => {
                const activity = doc.activities.find(a => a.id === p.activityId);
                const where = activity ? `${activityName(activity) ?? activity.id}: ` : "";
                return (
                  <li key={`${p.path}-${i}`} className={p.severity}>
                    {p.activityId ? <button type="button" className="link" onClick={() => selectProblem(p)}>{where}{p.message}</button> : <span>{p.message}</span>}
                  </li>
                );
              })}
            </ul>
          )}
        </section>
      </aside>
    </div>
  );
}

function portsFromConnections(activity: Activity, connections: Connection[], type: ActivityType | undefined): string[] {
  const used = connections.filter(c => c.source.activity === activity.id).map(c => c.source.port);
  return [...new Set([...(type?.ports ?? []), ...used])];
}

function ActivityProperties(props: {
  activity: Activity; doc: Doc; type: ActivityType | undefined; ports: string[]; clockNow: string | null;
  onChange: (a: Activity) => void; onConnect: (source: string, port: string, target: string | null) => void; onDelete: () => void;
}) {
  const { activity, doc, type } = props;
  const set = (key: string, value: Json | undefined) => {
    const next: Activity = { ...activity };
    if (value === undefined) delete next[key]; else next[key] = value;
    props.onChange(next);
  };
  return (
    <form onSubmit={e => e.preventDefault()} aria-label={`Egenskaber for ${activity.id}`}>
      <p className="muted">{type?.displayName ?? activity.type} · id {activity.id}</p>
      <div className="field">
        <label htmlFor="activity-name">Navn</label>
        <input id="activity-name" value={typeof activity.name === "string" ? activity.name : ""} onChange={e => set("name", e.target.value === "" ? undefined : e.target.value)} />
      </div>
      {(type?.properties ?? []).map(p => (
        <PropertyField key={`${activity.id}-${p.name}`} property={p} value={activity[p.name]} onChange={v => set(p.name, v)} clockNow={props.clockNow} activity={activity} />
      ))}
      {props.ports.length > 0 && (
        <fieldset className="field connections">
          <legend>Forbindelser</legend>
          {props.ports.map(port => {
            const targets = doc.connections.filter(c => c.source.activity === activity.id && c.source.port === port).map(c => c.target.activity);
            return (
              <div key={port}>
                <label htmlFor={`connect-${port}`}>Forbind »{portName(port)}« til …</label>
                <select id={`connect-${port}`} value={targets[0] ?? ""} onChange={e => props.onConnect(activity.id, port, e.target.value === "" ? null : e.target.value)}>
                  <option value="">(ikke forbundet)</option>
                  {doc.activities.filter(a => a.id !== activity.id && a.type !== "Start").map(a => (
                    <option key={a.id} value={a.id}>{activityName(a) ?? a.id} ({a.id})</option>
                  ))}
                </select>
              </div>
            );
          })}
        </fieldset>
      )}
      <button type="button" className="danger" onClick={props.onDelete}>Slet aktivitet</button>
    </form>
  );
}

function NoteProperties(props: { note: Note; onChange: (n: Note) => void; onDelete: () => void }) {
  return (
    <div>
      <div className="field">
        <label htmlFor="note-text">Notens tekst</label>
        <textarea id="note-text" rows={4} value={props.note.text} onChange={e => props.onChange({ ...props.note, text: e.target.value })} />
      </div>
      <p className="muted">Noter gemmes i definitionen, men motoren ser bort fra dem.</p>
      <button type="button" className="danger" onClick={props.onDelete}>Slet note</button>
    </div>
  );
}

function DefinitionProperties(props: { doc: Doc; onChange: (meta: JsonObject) => void }) {
  const meta = props.doc.meta;
  const set = (key: string, value: string) => { const next = { ...meta }; if (value === "" && key === "description") delete next[key]; else next[key] = value; props.onChange(next); };
  return (
    <div>
      <div className="field">
        <label htmlFor="definition-id">Id (små bogstaver, tal og bindestreger)</label>
        <input id="definition-id" value={String(meta.definitionId ?? "")} onChange={e => set("definitionId", e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="definition-name">Forløbets navn</label>
        <input id="definition-name" value={String(meta.name ?? "")} onChange={e => set("name", e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="definition-description">Beskrivelse</label>
        <textarea id="definition-description" rows={3} value={typeof meta.description === "string" ? meta.description : ""} onChange={e => set("description", e.target.value)} />
      </div>
    </div>
  );
}

function VersionsButton(props: {
  definitionId: string; revision: { current: string | null }; onRestored: (doc: Doc, etag: string | null) => void;
  onChanged: (ids: Set<string>) => void; setStatus: (s: Status) => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [versions, setVersions] = useState<VersionSummary[]>([]);
  const [from, setFrom] = useState(0);
  const [to, setTo] = useState(0);
  const [changes, setChanges] = useState<Change[] | null>(null);
  const open = async () => {
    const list = await api.versions(props.definitionId).catch(() => []);
    setVersions(list);
    if (list.length > 0) { setTo(list[0].version); setFrom(list[Math.min(1, list.length - 1)].version); }
    setChanges(null);
    dialog.current?.showModal();
  };
  const compare = async () => {
    const result = await api.diff(props.definitionId, from, to);
    setChanges(result);
    props.onChanged(new Set(result.map(c => c.activityId).filter((id): id is string => id !== null)));
  };
  const restore = async (version: number) => {
    try {
      await api.restore(props.definitionId, version, props.revision.current);
      const latest = await api.definition(props.definitionId);
      props.onRestored(fromDocument(latest.data.definition), latest.etag);
      props.setStatus({ text: `Version ${version} er gendannet som version ${latest.data.version}.` });
      dialog.current?.close();
    } catch (error) {
      props.setStatus({ text: error instanceof HttpError && error.status === 409 ? "Kladden er ændret af en anden; hent den nyeste først." : "Versionen kunne ikke gendannes.", alert: true });
    }
  };
  return (
    <>
      <button type="button" onClick={() => void open()}>Versioner</button>
      <dialog ref={dialog} aria-labelledby="versions-heading" className="dialog">
        <h2 id="versions-heading">Versioner af {props.definitionId}</h2>
        <table>
          <caption className="sr-only">Versioner</caption>
          <thead><tr><th scope="col">Version</th><th scope="col">Status</th><th scope="col">Oprettet</th><th scope="col"><span className="sr-only">Handling</span></th></tr></thead>
          <tbody>
            {versions.map(v => (
              <tr key={v.version}>
                <th scope="row">{v.version}</th>
                <td>{v.isPublished ? "Udgivet" : v.publishedAt ? "Tidligere udgivet" : "Kladde"}</td>
                <td>{new Date(v.createdAt).toLocaleString("da-DK", { timeZone: "Europe/Copenhagen" })}</td>
                <td><button type="button" onClick={() => void restore(v.version)}>Gendan version {v.version} som ny version</button></td>
              </tr>
            ))}
          </tbody>
        </table>
        <fieldset>
          <legend>Sammenlign to versioner</legend>
          <label htmlFor="diff-from">Fra version</label>
          <select id="diff-from" value={from} onChange={e => setFrom(Number(e.target.value))}>{versions.map(v => <option key={v.version} value={v.version}>{v.version}</option>)}</select>
          <label htmlFor="diff-to">Til version</label>
          <select id="diff-to" value={to} onChange={e => setTo(Number(e.target.value))}>{versions.map(v => <option key={v.version} value={v.version}>{v.version}</option>)}</select>
          <button type="button" onClick={() => void compare()}>Vis forskelle</button>
        </fieldset>
        {changes && (changes.length === 0 ? <p role="status">Ingen forskelle.</p> : (
          <>
            <p role="status">{changes.length === 1 ? "1 ændring" : `${changes.length} ændringer`}; de ændrede aktiviteter er markeret »Ændret« på tegningen.</p>
            <ul data-testid="diff">{changes.map((c, i) => <li key={i}>{c.text}</li>)}</ul>
          </>
        ))}
        <button type="button" onClick={() => dialog.current?.close()}>Luk</button>
      </dialog>
    </>
  );
}

function TextButton(props: { definitionId: string; save: () => Promise<boolean>; dirty: boolean }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [lines, setLines] = useState<string[]>([]);
  return (
    <>
      <button type="button" onClick={async () => {
        if (props.dirty) await props.save();
        setLines(await api.text(props.definitionId).catch(() => ["Forløbet skal gemmes, før det kan læses som tekst."]));
        dialog.current?.showModal();
      }}>Læs som tekst</button>
      <dialog ref={dialog} aria-labelledby="text-heading" className="dialog">
        <h2 id="text-heading">Forløbet som tekst</h2>
        <div data-testid="flow-text">{lines.map((line, i) => <p key={i}>{line}</p>)}</div>
        <button type="button" onClick={() => dialog.current?.close()}>Luk</button>
      </dialog>
    </>
  );
}

function download(name: string, content: string, type: string) {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = document.createElement("a");
  link.href = url; link.download = name;
  document.body.appendChild(link); link.click(); link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 1000);
}
