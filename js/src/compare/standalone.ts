/**
 * `CompareExplorer.save_html`'s page: both runs' unit vectors are embedded and answered by
 * `CompareBackend` (./backend.ts) with the kernel's request and reply shapes. The view is the same
 * as in JupyterLab.
 */

import { modelTransport, QueryClient } from "../backend/protocol";
import { WordList } from "../plot/words";
import { decodeState, ShimModel } from "../standalone";
import { CompareBackend, type EmbeddedRun, RunTable } from "./backend";
import { renderCompare } from "./view";

export interface ComparePayload {
  version: 1;
  kind: "compare";
  state: Record<string, unknown>;
  runs: [EmbeddedRun, EmbeddedRun];
}

/** Render the compare view into `el` from a page's payload, with no kernel. */
export function mountCompareStandalone(el: HTMLElement, payload: ComparePayload): () => void {
  const model = new ShimModel(decodeState(payload.state));
  const plotted = WordList.from(model.get("_words"));
  const backend = new CompareBackend(RunTable.fromEmbedded(payload.runs[0]), RunTable.fromEmbedded(payload.runs[1]), (w) => plotted.pointOf(w), Number(payload.state.max_k));
  model.onSend = (msg) => {
    const reply = backend.handle(msg);
    setTimeout(() => model.emit("msg:custom", reply, []), 0);
  };
  const client = new QueryClient(modelTransport(model));
  const dispose = renderCompare(model as never, el, client);
  return () => {
    dispose();
    client.dispose();
  };
}
