// Kaoping's ECharts: only the charts and components that kaoping/web/static/web/charts.js uses.
import * as echarts from "echarts/core";
import { BarChart, LineChart, GaugeChart, PieChart } from "echarts/charts";
import {
  GridComponent,
  TooltipComponent,
  LegendComponent,
  DataZoomComponent,
} from "echarts/components";
import { CanvasRenderer } from "echarts/renderers";

echarts.use([
  BarChart,
  LineChart,
  GaugeChart,
  PieChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  DataZoomComponent,
  CanvasRenderer,
]);
window.echarts = echarts;
