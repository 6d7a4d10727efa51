import { memo } from "react";
import { Handle, Position, type NodeProps, type Node } from "@xyflow/react";
import { portName } from "./model";

export type ActivityNodeData = {
  typeName: string; name: string; ports: string[]; hasInput: boolean; problems: number;
  status?: { kind: "done" | "waiting" | "failed" | "idle"; label: string; detail?: string }; changed?: boolean;
};
export type ActivityFlowNode = Node<ActivityNodeData, "activity">;
export type NoteFlowNode = Node<{ text: string }, "note">;

// Memoised: with 300 activities only the nodes whose data changed render again while one is dragged.
export const ActivityNode = memo(function ActivityNode({ data, selected }: NodeProps<ActivityFlowNode>) {
  const classes = ["activity", data.problems > 0 ? "has-problems" : "", selected ? "selected" : "", data.status ? `status-${data.status.kind}` : "", data.changed ? "changed" : ""];
  return (
    <div className={classes.join(" ")}>
      {data.hasInput && <Handle type="target" position={Position.Left} id="In" />}
      <div className="activity-type">{data.typeName}</div>
      <div className="activity-name">{data.name}</div>
      {data.status && <div className="activity-status">{data.status.label}{data.status.detail ? ` · ${data.status.detail}` : ""}</div>}
      {data.problems > 0 && <div className="activity-problems">{data.problems === 1 ? "1 problem" : `${data.problems} problemer`}</div>}
      {data.changed && <div className="activity-changed">Ændret</div>}
      {data.ports.length > 0 && (
        <ul className="ports" aria-label="Udgange">
          {data.ports.map(port => (
            <li key={port} className="port">
              <span className="port-label">{portName(port)}</span>
              <Handle type="source" position={Position.Right} id={port} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
});

export const NoteNode = memo(function NoteNode({ data }: NodeProps<NoteFlowNode>) {
  return <div className="note"><span className="note-label">Note</span><p>{data.text}</p></div>;
});

export const nodeTypes = { activity: ActivityNode, note: NoteNode };
