import { useEffect, useId, useState } from "react";
import { api, type Json, type JsonObject, type PropertyDescription } from "./api";
import { regions } from "./model";

// One typed field per descriptor property. A value written as { "expression": "…" } is edited as an expression,
// whatever the property's kind, because the engine evaluates it when the activity runs.
export function PropertyField(props: {
  property: PropertyDescription; value: Json | undefined; onChange: (value: Json | undefined) => void; clockNow: string | null; activity?: JsonObject;
}) {
  const { property, value, onChange } = props;
  const id = useId();
  const label = `${property.displayName}${property.required ? " (skal udfyldes)" : ""}`;
  const isExpression = value !== null && typeof value === "object" && !Array.isArray(value) && typeof (value as JsonObject).expression === "string";
  if (isExpression) {
    return (
      <div className="field">
        <label htmlFor={id}>{label} – udtryk</label>
        <input id={id} className="code" value={(value as JsonObject).expression as string}
          onChange={e => onChange({ expression: e.target.value })} />
        <button type="button" className="link" onClick={() => onChange(undefined)}>Angiv en fast værdi i stedet</button>
      </div>
    );
  }
  if (props.activity?.type === "Decision" && property.name === "body") return <BodyPicker label={label} value={value} onChange={onChange} />;
  if (props.activity?.type === "Decision" && property.name === "meeting") {
    return <MeetingPicker label={label} value={value} onChange={onChange} body={typeof props.activity.body === "string" ? props.activity.body : null} />;
  }
  if (property.name === "parties") return <PartyPicker label={label} value={value} onChange={onChange} />;
  if ((property.name === "reminders" || property.name === "rykker") && (value === undefined || isPlan(value))) {
    return <ReminderPlan label={label} value={value as JsonObject[] | undefined} onChange={onChange} after={property.name === "rykker"} />;
  }
  if (property.kind === "deadline") return <DeadlineEditor label={label} value={value} onChange={onChange} clockNow={props.clockNow} />;
  switch (property.kind) {
    case "enum":
      return (
        <div className="field">
          <label htmlFor={id}>{label}</label>
          <select id={id} value={typeof value === "string" ? value : ""} onChange={e => onChange(e.target.value === "" ? undefined : e.target.value)}>
            <option value="">(standard)</option>
            {(property.values ?? []).map(v => <option key={v} value={v}>{v}</option>)}
          </select>
        </div>
      );
    case "boolean":
      return (
        <div className="field checkbox">
          <input id={id} type="checkbox" checked={value === true} onChange={e => onChange(e.target.checked)} />
          <label htmlFor={id}>{label}</label>
        </div>
      );
    case "integer":
      return (
        <div className="field">
          <label htmlFor={id}>{label}</label>
          <input id={id} type="number" step={1} value={typeof value === "number" ? value : ""}
            onChange={e => onChange(e.target.value === "" ? undefined : Number(e.target.value))} />
        </div>
      );
    case "text":
      return (
        <div className="field">
          <label htmlFor={id}>{label} (Liquid-tekst)</label>
          <textarea id={id} rows={2} value={typeof value === "string" ? value : ""} onChange={e => onChange(e.target.value === "" ? undefined : e.target.value)} />
        </div>
      );
    case "condition":
    case "expression":
      return (
        <div className="field">
          <label htmlFor={id}>{label} (udtryk)</label>
          <input id={id} className="code" value={typeof value === "string" ? value : ""} onChange={e => onChange(e.target.value === "" ? undefined : e.target.value)} />
        </div>
      );
    case "textList":
      return (
        <div className="field">
          <label htmlFor={id}>{label} (én pr. linje)</label>
          <textarea id={id} rows={3} value={Array.isArray(value) ? value.join("\n") : typeof value === "string" ? value : ""}
            onChange={e => onChange(e.target.value === "" ? undefined : e.target.value.split("\n"))} />
        </div>
      );
    case "string":
    case "period":
      return (
        <div className="field">
          <label htmlFor={id}>{label}{property.kind === "period" ? " (fx P3D eller P4W)" : ""}</label>
          <input id={id} value={typeof value === "string" ? value : ""} onChange={e => onChange(e.target.value === "" ? undefined : e.target.value)} />
        </div>
      );
    default:
      return <JsonField id={id} label={label} value={value} onChange={onChange} />;
  }
}

type BodyMeetings = { body: string; name: string; meetings: { local: string; text: string }[] };
let meetingCalendars: Promise<BodyMeetings[]> | null = null;
const loadMeetings = () => (meetingCalendars ??= api.meetings().catch(() => []));

/** The body that decides: one of those with a meeting calendar. */
function BodyPicker(props: { label: string; value: Json | undefined; onChange: (value: Json | undefined) => void }) {
  const id = useId();
  const [bodies, setBodies] = useState<BodyMeetings[]>([]);
  useEffect(() => { loadMeetings().then(setBodies); }, []);
  const value = typeof props.value === "string" ? props.value : "";
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <select id={id} value={value} onChange={e => props.onChange(e.target.value === "" ? undefined : e.target.value)}>
        <option value="">(vælg organ)</option>
        {value !== "" && !bodies.some(b => b.body === value) && <option value={value}>{value}</option>}
        {bodies.map(b => <option key={b.body} value={b.body}>{b.name}</option>)}
      </select>
    </div>
  );
}

/** A meeting from the body's calendar, or none: then the engine takes the body's next meeting when it gets there. */
function MeetingPicker(props: { label: string; value: Json | undefined; onChange: (value: Json | undefined) => void; body: string | null }) {
  const id = useId();
  const [bodies, setBodies] = useState<BodyMeetings[]>([]);
  useEffect(() => { loadMeetings().then(setBodies); }, []);
  const meetings = bodies.find(b => b.body === props.body)?.meetings ?? [];
  const value = props.value && typeof props.value === "object" && !Array.isArray(props.value) ? props.value as JsonObject : null;
  const current = value && typeof value.date === "string" ? `${value.date}T${typeof value.at === "string" ? value.at : "00:00"}` : "";
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <select id={id} value={current} onChange={e => {
        if (e.target.value === "") { props.onChange(undefined); return; }
        const [date, at] = e.target.value.split("T");
        props.onChange({ date, at });
      }}>
        <option value="">Organets næste møde, når forløbet når hertil</option>
        {current !== "" && !meetings.some(m => m.local === current) && <option value={current}>{current.replace("T", " kl. ")}</option>}
        {meetings.map(m => <option key={m.local} value={m.local}>{m.text}</option>)}
      </select>
      {props.body && meetings.length === 0 && <p className="muted">Organet har ingen mødekalender.</p>}
    </div>
  );
}

const planUnits = ["workingDaysBefore", "daysBefore", "workingDaysAfter"] as const;
type PlanUnit = typeof planUnits[number];

function isPlan(value: Json): boolean {
  return Array.isArray(value) && value.every(item => item !== null && typeof item === "object" && !Array.isArray(item)
    && Object.keys(item).every(k => k === "at" || planUnits.includes(k as PlanUnit))
    && planUnits.filter(u => typeof (item as JsonObject)[u] === "number").length === 1);
}

/** Reminders (before the deadline) or rykkere (after it) as rows, not JSON: "3 arbejdsdage før fristen kl. 09:00". */
function ReminderPlan(props: { label: string; value: JsonObject[] | undefined; onChange: (value: Json | undefined) => void; after: boolean }) {
  const id = useId();
  const rows = props.value ?? [];
  const units: { unit: PlanUnit; text: string }[] = props.after
    ? [{ unit: "workingDaysAfter", text: "arbejdsdage efter fristen" }]
    : [{ unit: "workingDaysBefore", text: "arbejdsdage før fristen" }, { unit: "daysBefore", text: "dage før fristen" }];
  const unitOf = (row: JsonObject) => planUnits.find(u => typeof row[u] === "number") ?? units[0].unit;
  const update = (next: JsonObject[]) => props.onChange(next.length === 0 ? undefined : next);
  const noun = props.after ? "Rykker" : "Påmindelse";
  return (
    <fieldset className="field plan">
      <legend>{props.label}</legend>
      {rows.length === 0 && <p className="muted">Ingen.</p>}
      <ol>
        {rows.map((row, i) => {
          const unit = unitOf(row);
          return (
            <li key={i}>
              <label htmlFor={`${id}-${i}-n`}>{noun} {i + 1}: antal</label>
              <input id={`${id}-${i}-n`} type="number" min={0} value={row[unit] as number}
                onChange={e => update(rows.map((r, j) => j === i ? { ...r, [unit]: Number(e.target.value) } : r))} />
              <label htmlFor={`${id}-${i}-unit`}>{noun} {i + 1}: enhed</label>
              <select id={`${id}-${i}-unit`} value={unit} onChange={e => update(rows.map((r, j) => {
                if (j !== i) return r;
                const next: JsonObject = { [e.target.value]: r[unit] };
                if (r.at !== undefined) next.at = r.at;
                return next;
              }))}>
                {units.map(u => <option key={u.unit} value={u.unit}>{u.text}</option>)}
              </select>
              <label htmlFor={`${id}-${i}-at`}>{noun} {i + 1}: klokkeslæt</label>
              <input id={`${id}-${i}-at`} placeholder="09:00" value={typeof row.at === "string" ? row.at : ""}
                onChange={e => update(rows.map((r, j) => { if (j !== i) return r; const next = { ...r }; if (e.target.value === "") delete next.at; else next.at = e.target.value; return next; }))} />
              <button type="button" onClick={() => update(rows.filter((_, j) => j !== i))}>Fjern {noun.toLowerCase()} {i + 1}</button>
            </li>
          );
        })}
      </ol>
      <button type="button" onClick={() => update([...rows, { [units[0].unit]: props.after ? 1 : 3, at: "09:00" }])}>Tilføj {noun.toLowerCase()}</button>
    </fieldset>
  );
}

function JsonField(props: { id: string; label: string; value: Json | undefined; onChange: (value: Json | undefined) => void }) {
  const [text, setText] = useState(props.value === undefined ? "" : JSON.stringify(props.value));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setText(props.value === undefined ? "" : JSON.stringify(props.value)), [props.value]);
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label} (JSON)</label>
      <textarea id={props.id} className="code" rows={2} value={text} aria-invalid={error !== null}
        aria-describedby={error ? `${props.id}-error` : undefined}
        onChange={e => setText(e.target.value)}
        onBlur={() => {
          if (text.trim() === "") { setError(null); props.onChange(undefined); return; }
          try { props.onChange(JSON.parse(text)); setError(null); } catch { setError("Ikke gyldig JSON."); }
        }} />
      {error && <p id={`${props.id}-error`} className="field-error">{error}</p>}
    </div>
  );
}

/** Parties by region or group, showing who is in it ("Region Midtjylland: 19 kommuner"). */
export function PartyPicker(props: { label: string; value: Json | undefined; onChange: (value: Json | undefined) => void }) {
  const id = useId();
  const [groups, setGroups] = useState<{ id: string; name: string; count: number; members: string[] }[]>([]);
  const [members, setMembers] = useState<string[]>([]);
  const value = props.value;
  const isRegion = typeof value === "string" && regions.some(r => r.slug === value);
  const group = typeof value === "string" ? groups.find(g => g.id === value) : undefined;
  const mode = Array.isArray(value) ? "list" : isRegion ? "region" : group || typeof value === "string" ? "group" : "region";
  useEffect(() => { api.groups().then(setGroups).catch(() => setGroups([])); }, []);
  useEffect(() => {
    if (isRegion) api.parties(value as string).then(p => setMembers(p.map(x => x.name))).catch(() => setMembers([]));
    else setMembers([]);
  }, [value, isRegion]);
  const region = regions.find(r => r.slug === value);
  const summary = region ? `${region.name}: ${members.length} kommuner` : group ? `${group.name}: ${group.count} parter` : Array.isArray(value) ? `${value.length} parter valgt` : "Ingen parter valgt";
  return (
    <fieldset className="field">
      <legend>{props.label}</legend>
      <label htmlFor={`${id}-mode`}>Vælg parter efter</label>
      <select id={`${id}-mode`} value={mode} onChange={e => props.onChange(e.target.value === "list" ? [] : e.target.value === "group" ? groups[0]?.id : undefined)}>
        <option value="region">Region (regionens kommuner)</option>
        <option value="group">Gruppe</option>
        <option value="list">Udvalgte parter (id'er)</option>
      </select>
      {mode === "region" && (
        <>
          <label htmlFor={`${id}-region`}>Region</label>
          <select id={`${id}-region`} value={isRegion ? (value as string) : ""} onChange={e => props.onChange(e.target.value === "" ? undefined : e.target.value)}>
            <option value="">(vælg region)</option>
            {regions.map(r => <option key={r.slug} value={r.slug}>{r.name}</option>)}
          </select>
        </>
      )}
      {mode === "group" && (
        <>
          <label htmlFor={`${id}-group`}>Gruppe</label>
          <select id={`${id}-group`} value={typeof value === "string" ? value : ""} onChange={e => props.onChange(e.target.value)}>
            {groups.map(g => <option key={g.id} value={g.id}>{g.name} ({g.count})</option>)}
          </select>
        </>
      )}
      {mode === "list" && (
        <>
          <label htmlFor={`${id}-list`}>Part-id'er (én pr. linje)</label>
          <textarea id={`${id}-list`} rows={3} value={Array.isArray(value) ? value.join("\n") : ""}
            onChange={e => props.onChange(e.target.value.split("\n").filter(s => s.trim() !== ""))} />
        </>
      )}
      <p className="party-summary" data-testid="party-summary">{summary}</p>
      {members.length > 0 && (
        <details>
          <summary>Vis kommunerne</summary>
          <ul className="members">{members.map(m => <li key={m}>{m}</li>)}</ul>
        </details>
      )}
    </fieldset>
  );
}

type DeadlineMode = "workingDays" | "days" | "weeks" | "date";

/** The deadline as the engine reads it, with the Danish date it gives computed live by the server's calendar. */
export function DeadlineEditor(props: { label: string; value: Json | undefined; onChange: (value: Json | undefined) => void; clockNow: string | null }) {
  const id = useId();
  const value = (props.value && typeof props.value === "object" && !Array.isArray(props.value) ? props.value : {}) as JsonObject;
  const mode: DeadlineMode = "date" in value ? "date" : "days" in value ? "days" : "weeks" in value ? "weeks" : "workingDays";
  const [start, setStart] = useState("");
  const [preview, setPreview] = useState<{ text: string; warnings: string[] } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    if (start === "") setStart(localNow(props.clockNow));
  }, [props.clockNow, start]);
  const at = typeof value.at === "string" ? value.at : "";
  useEffect(() => {
    const query = new URLSearchParams();
    if (mode === "date") {
      if (typeof value.date !== "string" || value.date === "") { setPreview(null); return; }
      query.set("date", value.date);
    } else {
      const count = value[mode];
      if (typeof count !== "number" || start === "") { setPreview(null); return; }
      query.set("start", start);
      query.set(mode, String(count));
    }
    if (at !== "") query.set("at", at);
    let cancelled = false;
    const timer = window.setTimeout(() => {
      api.deadline(query.toString())
        .then(r => { if (!cancelled) { setPreview(r); setProblem(null); } })
        .catch(() => { if (!cancelled) { setPreview(null); setProblem("Fristen kan ikke beregnes endnu."); } });
    }, 150);
    return () => { cancelled = true; window.clearTimeout(timer); };
  }, [JSON.stringify(value), start, mode, at]);

  const set = (next: JsonObject) => props.onChange(Object.keys(next).length === 0 ? undefined : next);
  const switchMode = (next: DeadlineMode) => {
    const kept: JsonObject = at !== "" ? { at } : {};
    set(next === "date" ? { date: "", ...kept } : { [next]: next === "workingDays" ? 10 : next === "days" ? 14 : 2, ...kept });
  };
  const countLabel = mode === "workingDays" ? "Antal arbejdsdage" : mode === "days" ? "Antal dage" : "Antal uger";
  return (
    <fieldset className="field deadline">
      <legend>{props.label}</legend>
      <label htmlFor={`${id}-mode`}>Fristen er</label>
      <select id={`${id}-mode`} value={mode} onChange={e => switchMode(e.target.value as DeadlineMode)}>
        <option value="workingDays">Et antal arbejdsdage efter afsendelse</option>
        <option value="days">Et antal dage efter afsendelse</option>
        <option value="weeks">Et antal uger efter afsendelse</option>
        <option value="date">En fast dato</option>
      </select>
      {mode === "date" ? (
        <>
          <label htmlFor={`${id}-date`}>Dato</label>
          <input id={`${id}-date`} type="date" value={typeof value.date === "string" ? value.date : ""} onChange={e => set({ ...value, date: e.target.value })} />
        </>
      ) : (
        <>
          <label htmlFor={`${id}-count`}>{countLabel}</label>
          <input id={`${id}-count`} type="number" min={0} step={1} value={typeof value[mode] === "number" ? (value[mode] as number) : ""}
            onChange={e => set({ ...value, [mode]: e.target.value === "" ? 0 : Number(e.target.value) })} />
        </>
      )}
      <label htmlFor={`${id}-at`}>Klokkeslæt (tt:mm)</label>
      <input id={`${id}-at`} inputMode="numeric" placeholder="12:00" value={at}
        onChange={e => { const next = { ...value }; if (e.target.value === "") delete next.at; else next.at = e.target.value; set(next); }} />
      {mode !== "date" && (
        <>
          <label htmlFor={`${id}-start`}>Beregn fra afsendelse (dato og tid)</label>
          <input id={`${id}-start`} value={start} onChange={e => setStart(e.target.value)} />
        </>
      )}
      <p role="status" className="deadline-preview" data-testid="deadline-preview">
        {preview ? `Fristen bliver ${preview.text}` : problem ?? ""}
      </p>
      {preview && preview.warnings.length > 0 && (
        <ul className="warnings" aria-label="Advarsler om fristen">{preview.warnings.map(w => <li key={w}>{w}</li>)}</ul>
      )}
    </fieldset>
  );
}

/** "2019-10-01T10:00" in Europe/Copenhagen, from the server's clock when it is simulated, else the browser's. */
function localNow(clockNow: string | null): string {
  const instant = clockNow ? new Date(clockNow) : new Date();
  const parts = new Intl.DateTimeFormat("sv-SE", {
    timeZone: "Europe/Copenhagen", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hour12: false,
  }).format(instant);
  return parts.replace(" ", "T");
}
