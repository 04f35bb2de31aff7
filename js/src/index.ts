/** Entry point of the bundle (w2v_widgets/static/explorer.js). */

import "./styles.css";
import widget from "./widget";

export { mountStandalone } from "./standalone";
export { mountCompareStandalone } from "./compare/standalone";
export default widget;
