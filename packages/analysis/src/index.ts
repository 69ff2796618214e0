export {
  type PaperCell, type PaperTable, type StrategyLookup, PAPER_TOLERANCE, paperTables,
} from './paper-tables.js';
export { type LayerGeometry, GeometryAccumulator } from './layer-geometry.js';
export {
  type CurvePoint, type CurvesOptions, type GeometryPoint, VEGA_LITE_SCHEMA, curvesSpec, figure1Spec, renderSvg,
} from './charts.js';
