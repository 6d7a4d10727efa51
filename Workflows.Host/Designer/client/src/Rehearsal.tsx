import { useRef, useState } from "react";
import { api, HttpError, type Json, type JsonObject, type RehearsalReport } from "./api";

/** An example value for a required input, so a rehearsal can start without the process owner writing JSON first. */
function exampleFor(input: JsonObject): Json {
  switch (input.type) {
    case "parties": return "midtjylland";
    case "deadline": return { workingDays: 20, at: "12:00" };
    case "reminders": return [{ workingDaysBefore: 3, at: "09:00" }];
    case "material": return [];
    case "latePolicy": return "reject";
    case "integer": case "number": return 1;
    case "boolean": return false;
    case "date": return new Date().toISOString().slice(0, 10);
    default: return input.name === "title" ? "Prøvehøring" : `Eksempel på ${String(input.displayName ?? input.name)}`;
  }
}

function exampleInput(document: JsonObject): string {
  const example: JsonObject = {};
  for (const input of (document.inputs ?? []) as JsonObject[]) {
    if (input.default === undefined && input.required !== false) example[String(input.name)] = exampleFor(input);
  }
  return JSON.stringify(example, null, 2);
}

const kindText: Record<string, string> = { Mail: "E-mail", Answer: "Svar", Journal: "Forløb" };
const mailText: Record<string, string> = {
  invitation: "invitationer", reminder: "påmindelser", rykker: "rykkere", receipt: "kvitteringer", "deadline-changed": "fristændringer",
  "extension-refused": "afslag på fristforlængelse", "approval-request": "anmodninger om godkendelse", "approval-reminder": "påmindelser om godkendelse",
  "approval-receipt": "kvitteringer for beslutning",
};
const statusText: Record<string, string> = { Finished: "afsluttet", Suspended: "venter", Running: "i gang", Faulted: "standset med en fejl", Cancelled: "annulleret" };

/**
 * Prøvekør: the open draft runs in a sandbox on its own clock with made-up answers; the steps it would take are listed
 * in time order (clicking one selects its activity). Nothing is saved or sent.
 */
export function RehearsalButton(props: { document: () => JsonObject; onSelect: (activityId: string) => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [input, setInput] = useState("{}");
  const [start, setStart] = useState("");
  const [onTime, setOnTime] = useState(12);
  const [late, setLate] = useState(2);
  const [report, setReport] = useState<RehearsalReport | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [running, setRunning] = useState(false);

  const run = async () => {
    let parsed: JsonObject;
    try {
      parsed = JSON.parse(input);
    } catch {
      setProblem("Eksempel-input er ikke gyldig JSON.");
      return;
    }
    setRunning(true);
    setProblem(null);
    try {
      setReport(await api.rehearse({ definition: props.document(), input: parsed, start: start || null, answers: { onTime, late } }));
    } catch (error) {
      const errors = error instanceof HttpError ? (error.body?.errors ?? {}) as Record<string, string[]> : {};
      setProblem(Object.keys(errors).length > 0
        ? Object.entries(errors).map(([path, messages]) => `${path}: ${messages.join(" ")}`).join("\n")
        : "Prøvekørslen kunne ikke gennemføres.");
      setReport(null);
    } finally {
      setRunning(false);
    }
  };

  const mails = report?.steps.filter(s => s.kind === "Mail") ?? [];
  const byTemplate = new Map<string, number>();
  mails.forEach(m => byTemplate.set(m.template ?? "e-mail", (byTemplate.get(m.template ?? "e-mail") ?? 0) + 1));

  return (
    <>
      <button type="button" onClick={() => {
        setInput(exampleInput(props.document()));
        setReport(null);
        setProblem(null);
        dialog.current?.showModal();
      }}>Prøvekør</button>
      <dialog ref={dialog} aria-labelledby="rehearsal-heading" className="dialog wide">
        <h2 id="rehearsal-heading">Prøvekør forløbet</h2>
        <p>Forløbet køres på sit eget ur med opdigtede svar. Intet gemmes, og ingen får en e-mail.</p>
        <p><label htmlFor="rehearsal-input">Eksempel-input (JSON)</label><br />
          <textarea id="rehearsal-input" rows={6} cols={60} value={input} onChange={e => setInput(e.target.value)} /></p>
        <p><label htmlFor="rehearsal-start">Start (dato og tid; tom = nu)</label><br />
          <input id="rehearsal-start" type="datetime-local" value={start} onChange={e => setStart(e.target.value)} /></p>
        <p><label htmlFor="rehearsal-ontime">Parter der svarer rettidigt i hver runde</label><br />
          <input id="rehearsal-ontime" type="number" min={0} value={onTime} onChange={e => setOnTime(Math.max(0, Number(e.target.value)))} /></p>
        <p><label htmlFor="rehearsal-late">Parter der svarer for sent</label><br />
          <input id="rehearsal-late" type="number" min={0} value={late} onChange={e => setLate(Math.max(0, Number(e.target.value)))} /></p>
        <p><button type="button" onClick={run} disabled={running}>{running ? "Kører …" : "Kør"}</button></p>
        {problem && <div role="alert" className="problem"><pre>{problem}</pre></div>}
        {report && (
          <>
            <p role="status" data-testid="rehearsal-summary">
              {report.mails} e-mails ({[...byTemplate].map(([t, n]) => `${n} ${mailText[t] ?? t}`).join(", ")}); forløbet er {statusText[report.status] ?? report.status}
              {report.waitingFor.length > 0 ? `, venter på ${report.waitingFor.join(", ")}` : ""}{report.stopped ? " (stoppet)" : ""}.
            </p>
            <table data-testid="rehearsal-steps">
              <thead><tr><th scope="col">Tidspunkt</th><th scope="col">Hvad</th><th scope="col">Hvem</th><th scope="col">Indhold</th></tr></thead>
              <tbody>
                {report.steps.map((step, i) => (
                  <tr key={i} data-kind={step.kind} data-template={step.template ?? ""} data-party={step.partyId ?? ""}>
                    <td>{step.when}</td>
                    <td>{step.activityId
                      ? <button type="button" className="link" onClick={() => { props.onSelect(step.activityId!); dialog.current?.close(); }}>{kindText[step.kind] ?? step.kind}</button>
                      : kindText[step.kind] ?? step.kind}</td>
                    <td>{step.to.length > 0 ? step.to.join(", ") : step.partyId ?? ""}</td>
                    <td>{step.kind === "Mail" ? <details><summary>{step.subject}</summary><pre>{step.text}</pre></details> : step.text}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
        <button type="button" onClick={() => dialog.current?.close()}>Luk</button>
      </dialog>
    </>
  );
}
