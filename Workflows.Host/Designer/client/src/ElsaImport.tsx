import { useRef, useState } from "react";
import { api, HttpError, type ElsaImported, type JsonObject } from "./api";

const statusText: Record<string, string> = { Mapped: "Overført", Approximated: "Tilnærmet", Unsupported: "Ikke understøttet" };

/**
 * Importér fra Elsa: an Elsa 3 workflow definition (as Elsa Studio exports it) becomes a draft on the canvas, with the
 * report of what became of each Elsa activity. Parts ProcesFlow cannot do are placeholders that must be resolved
 * before the flow can be published.
 */
export function ElsaImportButton(props: { onImported: (document: JsonObject, text: string) => Promise<void> }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [result, setResult] = useState<ElsaImported | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  return (
    <>
      <label className="file">Importér fra Elsa
        <input type="file" accept="application/json,.json" onChange={async e => {
          const file = e.target.files?.[0];
          e.target.value = "";
          if (!file) return;
          setProblem(null);
          setResult(null);
          try {
            const imported = await api.importElsa(await file.text());
            setResult(imported);
            await props.onImported(imported.definition, `${file.name} er importeret fra Elsa som kladde.`);
          } catch (error) {
            const errors = error instanceof HttpError ? (error.body?.errors ?? {}) as Record<string, string[]> : {};
            setProblem(Object.keys(errors).length > 0
              ? Object.entries(errors).map(([path, messages]) => `${path}: ${messages.join(" ")}`).join("\n")
              : "Filen kunne ikke importeres fra Elsa.");
          }
          dialog.current?.showModal();
        }} />
      </label>
      <dialog ref={dialog} aria-labelledby="elsa-heading" className="dialog wide">
        <h2 id="elsa-heading">Import fra Elsa</h2>
        {problem && <div role="alert" className="problem"><pre>{problem}</pre></div>}
        {result && (
          <>
            <p role="status" data-testid="elsa-summary">
              {result.report.counts.mapped} overført, {result.report.counts.approximated} tilnærmet, {result.report.counts.unsupported} ikke understøttet.
              {result.publishable ? " Kladden kan udgives." : " Kladden kan først udgives, når pladsholderne er erstattet."}
            </p>
            <table data-testid="elsa-report">
              <thead><tr><th scope="col">Elsa-aktivitet</th><th scope="col">Resultat</th><th scope="col">Bliver til</th><th scope="col">Bemærkninger</th></tr></thead>
              <tbody>
                {result.report.activities.map(a => (
                  <tr key={a.path}>
                    <td>{a.type} ({a.id})</td>
                    <td>{statusText[a.status] ?? a.status}</td>
                    <td>{a.as ?? "–"}</td>
                    <td>{a.notes.map((n, i) => <div key={i}><code>{n.path}</code>: {n.message}</div>)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {result.report.notes.length > 0 && <ul>{result.report.notes.map((n, i) => <li key={i}><code>{n.path}</code>: {n.message}</li>)}</ul>}
          </>
        )}
        <button type="button" onClick={() => dialog.current?.close()}>Luk</button>
      </dialog>
    </>
  );
}
