import { useEffect, useState } from "react";
import { ReactFlowProvider } from "@xyflow/react";
import { api, type ActivityType, type DefinitionSummary } from "./api";
import { Editor } from "./Editor";
import { InstanceView } from "./InstanceView";
import { fromDocument } from "./model";
import { exportSvg } from "./svg";

// Routes inside /designer (the host serves the same shell for all of them).
export function App() {
  const path = window.location.pathname.replace(/\/+$/, "");
  const [types, setTypes] = useState<ActivityType[] | null>(null);
  const [clockNow, setClockNow] = useState<string | null>(null);
  useEffect(() => {
    api.activities().then(setTypes).catch(() => setTypes([]));
    api.clock().then(setClockNow);
  }, []);
  if (!types) return <main><h1>Designer</h1><p role="status">Indlæser …</p></main>;
  const definition = /^\/designer\/definitions\/([^/]+)(\/print)?$/.exec(path);
  const instance = /^\/designer\/instances\/([^/]+)$/.exec(path);
  if (definition?.[2]) return <PrintPage definitionId={decodeURIComponent(definition[1])} types={types} />;
  if (definition || path === "/designer/ny") {
    return (
      <ReactFlowProvider>
        <Editor definitionId={definition ? decodeURIComponent(definition[1]) : null} types={types} clockNow={clockNow} />
      </ReactFlowProvider>
    );
  }
  if (instance) return <ReactFlowProvider><InstanceView instanceId={instance[1]} types={types} /></ReactFlowProvider>;
  return <DefinitionList />;
}

function DefinitionList() {
  const [definitions, setDefinitions] = useState<DefinitionSummary[] | null>(null);
  useEffect(() => { api.definitions().then(setDefinitions).catch(() => setDefinitions([])); }, []);
  return (
    <main className="list-page">
      <p><a href="/">Tilbage til overblikket</a></p>
      <h1>Designer</h1>
      <p><a className="button primary" href="/designer/ny">Nyt forløb</a></p>
      <h2>Forløb</h2>
      {definitions === null ? <p role="status">Indlæser …</p> : (
        <table>
          <thead><tr><th scope="col">Forløb</th><th scope="col">Id</th><th scope="col">Seneste version</th><th scope="col">Udgivet version</th></tr></thead>
          <tbody>
            {definitions.map(d => (
              <tr key={d.definitionId}>
                <th scope="row"><a href={`/designer/definitions/${encodeURIComponent(d.definitionId)}`}>{d.name}</a></th>
                <td>{d.definitionId}</td>
                <td>{d.latestVersion}</td>
                <td>{d.publishedVersion ?? "ingen"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}

function PrintPage(props: { definitionId: string; types: ActivityType[] }) {
  const [svg, setSvg] = useState<string | null>(null);
  const [lines, setLines] = useState<string[]>([]);
  const [title, setTitle] = useState("");
  const [version, setVersion] = useState(0);
  useEffect(() => {
    api.definition(props.definitionId).then(({ data }) => {
      setTitle(data.name); setVersion(data.version);
      setSvg(exportSvg(fromDocument(data.definition), new Map(props.types.map(t => [t.type, t]))));
    });
    api.text(props.definitionId).then(setLines).catch(() => setLines([]));
  }, [props.definitionId, props.types]);
  return (
    <main className="print-page">
      <p className="no-print"><a href={`/designer/definitions/${encodeURIComponent(props.definitionId)}`}>Tilbage til designeren</a> <button type="button" onClick={() => window.print()}>Udskriv</button></p>
      <h1>{title}</h1>
      <p>Version {version}</p>
      {svg && <div className="diagram" dangerouslySetInnerHTML={{ __html: svg }} />}
      <h2>Forløbet som tekst</h2>
      {lines.map((line, i) => <p key={i}>{line}</p>)}
    </main>
  );
}
