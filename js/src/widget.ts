/** The anywidget definition: `render` mounts one view and returns its cleanup function. */

import type { AnyModel } from "@anywidget/types";
import { modelTransport, QueryClient } from "./backend/protocol";
import { renderCompare } from "./compare/view";
import type { ExplorerModelState } from "./types";
import { ExplorerView } from "./view";

export interface RenderArgs {
  model: AnyModel<ExplorerModelState>;
  el: HTMLElement;
}

export function render({ model, el }: RenderArgs): () => void {
  const client = new QueryClient(modelTransport(model));
  if ((model as AnyModel<{ _view?: string }>).get("_view") === "compare") {
    const dispose = renderCompare(model as never, el, client);
    return () => {
      dispose();
      client.dispose();
    };
  }
  const view = new ExplorerView(model, el, client);
  return () => {
    view.dispose();
    client.dispose();
  };
}

export default { render };
