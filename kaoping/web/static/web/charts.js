// Interactive charts (ECharts, vendored) for the pages that carry chart data.
//
// The server draws every chart as a static SVG (print, no JavaScript) and puts its numbers
// in a <script type="application/json"> (Django's json_script) named by the figure's
// data-echart attribute. Here each such figure gets an ECharts chart, and the class
// "is-live", which hides the SVG on screen (print keeps it). No inline script or style: the
// CSP allows only files from 'self'; the tooltips are built from our own classes, never
// from style attributes. Body class "kp-screen" (the big screen) draws dark and large.
(() => {
  "use strict";
  if (typeof window.echarts === "undefined") return;
  const echarts = window.echarts;
  const PALETTE = ["#b01c1c", "#1d6b35", "#c47f00", "#2b5d9b", "#6b3fa0", "#5b636b", "#0f7c7c"];
  const DARK = ["#ff6b6b", "#4cd08a", "#ffc53d", "#5aa9ff", "#b18cff", "#aab4be", "#3fd0d0"];
  const screen = document.body.classList.contains("kp-screen");
  const font = screen ? 18 : 12;

  const num = (v) => (v === null || v === undefined ? null : Number(v));
  const esc = (s) =>
    String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
  const shown = (v, d) => (v === null || v === undefined || Number.isNaN(v) ? "—" : v.toFixed(d.places) + d.unit);

  function tip(title, rows) {
    return (
      `<div class="kp-chart-tip"><strong>${esc(title)}</strong>` +
      rows.map((r) => `<div><span class="dot c${r.i % 7}"></span>${esc(r.name)}：<b>${esc(r.value)}</b></div>`).join("") +
      "</div>"
    );
  }

  // The width a category label may take: a third of the chart, within reason.
  const labelWidth = (el) => Math.max(56, Math.min(screen ? 260 : 160, Math.round(el.clientWidth * 0.3)));

  function tooltip(d) {
    return {
      trigger: "axis",
      axisPointer: { type: d.kind === "line" ? "line" : "shadow" },
      confine: true,
      className: "kp-chart-tip-box",
      formatter: (params) => {
        const list = Array.isArray(params) ? params : [params];
        if (!list.length) return "";
        const i = list[0].dataIndex;
        const rows = list.map((p) => ({
          i: p.seriesIndex,
          name: p.seriesName,
          value: shown(num(d.series[p.seriesIndex].values[i]), d),
        }));
        if (d.stages) rows.push({ i: 5, name: d.stageName || "环节", value: d.stages[i] });
        return tip(d.labels[i], rows);
      },
    };
  }

  function valueAxis(d) {
    const axis = {
      type: "value",
      min: d.min === null ? undefined : num(d.min),
      max: d.max === null ? undefined : num(d.max),
      axisLabel: { formatter: (v) => `${v}${d.unit}`, fontSize: font, hideOverlap: true },
      splitNumber: 4,
      minInterval: d.places === 0 ? 1 : undefined,
    };
    // an axis from a floor: five even steps up to the top (90, 92, … 100)
    if (d.min !== null && d.max !== null && num(d.min) > 0) axis.interval = (num(d.max) - num(d.min)) / 5;
    if (d.stages) axis.interval = 1;
    if (d.note) {
      axis.name = d.note;
      axis.nameLocation = "middle";
      axis.nameGap = font + 14;
      axis.nameTextStyle = { fontSize: font - 1 };
    }
    return axis;
  }

  function barOption(d, el) {
    const n = d.labels.length;
    const stacked = d.kind === "stacked";
    const options = {
      tooltip: tooltip(d),
      grid: { left: 8, right: stacked ? 16 : screen ? 84 : 56, top: 8, bottom: d.note ? 36 : 8, containLabel: true },
      xAxis: valueAxis(d),
      yAxis: {
        type: "category",
        data: d.labels,
        inverse: true,
        axisTick: { show: false },
        axisLabel: { width: labelWidth(el), overflow: "truncate", fontSize: font },
      },
      series: d.series.map((s) => ({
        type: "bar",
        name: s.name,
        stack: stacked ? "total" : undefined,
        data: s.values.map(num),
        barMaxWidth: screen ? 26 : 18,
        label: stacked
          ? { show: false }
          : {
              show: true,
              position: "right",
              fontSize: font,
              formatter: (p) => (d.stages ? d.stages[p.dataIndex] : shown(num(s.values[p.dataIndex]), d)),
            },
      })),
    };
    if (stacked || d.series.length > 1) {
      options.legend = { type: "scroll", bottom: 0, textStyle: { fontSize: font } };
      options.grid.bottom = d.note ? 64 : 36;
    }
    if (d.zoom && !screen) {
      const shownRows = 12;
      options.dataZoom = [
        { type: "inside", yAxisIndex: 0, startValue: 0, endValue: shownRows - 1, zoomOnMouseWheel: false, moveOnMouseWheel: true },
        { type: "slider", yAxisIndex: 0, startValue: 0, endValue: shownRows - 1, right: 4, width: 14, showDetail: false },
      ];
      options.grid.right += 24;
    }
    const rows = (d.zoom ? 12 : n) * d.series.length ** (stacked ? 0 : 0.6);
    const legend = options.legend ? 28 : 0;
    el.style.height = screen ? "100%" : `${Math.round(rows * 28) + 40 + legend + (d.note ? 24 : 0)}px`;
    return options;
  }

  function lineOption(d, el) {
    el.style.height = screen ? "100%" : "18rem";
    const many = d.series.length > 1;
    return {
      tooltip: tooltip(d),
      legend: many ? { type: "scroll", bottom: 0, textStyle: { fontSize: font } } : undefined,
      grid: { left: d.note ? 28 : 8, right: 16, top: 12, bottom: many ? 36 : 8, containLabel: true },
      xAxis: { type: "category", data: d.labels, boundaryGap: false, axisLabel: { fontSize: font, hideOverlap: true } },
      yAxis: valueAxis(d),
      series: d.series.map((s) => ({
        type: "line",
        name: s.name,
        data: s.values.map(num),
        connectNulls: false,
        symbolSize: 7,
      })),
    };
  }

  function gaugeOption(d, el) {
    el.style.height = "9.5rem";
    const max = num(d.max) || 1;
    const value = num(d.value);
    return {
      tooltip: { confine: true, formatter: () => tip(d.title, [{ i: 0, name: d.title, value: `${shown(value, d)} / ${shown(max, d)}` }]) },
      series: [
        {
          type: "gauge",
          name: d.title,
          min: 0,
          max,
          startAngle: 180,
          endAngle: 0,
          center: ["50%", "78%"],
          radius: "120%",
          progress: { show: true, width: 14 },
          axisLine: { lineStyle: { width: 14 } },
          pointer: { show: false },
          axisTick: { show: false },
          splitLine: { show: false },
          axisLabel: { show: false },
          anchor: { show: false },
          title: { show: false },
          detail: { offsetCenter: [0, "-12%"], fontSize: 22, fontWeight: 700, formatter: () => shown(value, d) },
          data: [{ value: value === null ? 0 : value, name: d.title }],
        },
      ],
    };
  }

  function pieOption(d, el) {
    el.style.height = "100%";
    const s = d.series[0];
    return {
      tooltip: {
        trigger: "item",
        confine: true,
        formatter: (p) => tip(d.title, [{ i: p.dataIndex, name: p.name, value: `${shown(num(p.value), d)}（${p.percent}%）` }]),
      },
      legend: { type: "scroll", bottom: 0, textStyle: { fontSize: font } },
      series: [
        {
          type: "pie",
          name: d.title,
          radius: ["40%", "68%"],
          center: ["50%", "45%"],
          label: { fontSize: font, formatter: (p) => `${p.name} ${shown(num(p.value), d)}` },
          data: d.labels.map((label, i) => ({ name: label, value: num(s.values[i]) })),
        },
      ],
    };
  }

  const BUILD = { bar: barOption, stacked: barOption, line: lineOption, gauge: gaugeOption, pie: pieOption };

  function draw(figure) {
    const source = document.getElementById(figure.dataset.echart);
    const el = figure.querySelector(".echart");
    if (!source || !el) return;
    const d = JSON.parse(source.textContent);
    const build = BUILD[d.kind] || barOption;
    el.hidden = false;
    figure.classList.add("is-live");
    const chart = echarts.init(el, screen ? "dark" : null, { renderer: "canvas" });
    const option = build(d, el);
    option.color = screen ? DARK : PALETTE;
    option.textStyle = { fontFamily: "system-ui, sans-serif", fontSize: font };
    if (screen) option.backgroundColor = "transparent";
    chart.setOption(option);
    chart.resize();
    let width = el.clientWidth;
    new ResizeObserver(() => {
      if (el.clientWidth === width && !screen) return chart.resize();
      width = el.clientWidth;
      if (d.kind === "bar" || d.kind === "stacked") {
        chart.setOption({ yAxis: { axisLabel: { width: labelWidth(el) } } });
      }
      chart.resize();
    }).observe(el);
  }

  // A chart is drawn when it comes near the screen, one chart per task: a phone opening
  // a page of charts neither draws what nobody looks at nor sits in one long task that
  // keeps it from answering a tap (Lighthouse's total blocking time). Until then, and in
  // print, the server's SVG shows.
  const queue = [];
  const drawNext = () => {
    const figure = queue.shift();
    if (!figure) return;
    draw(figure);
    if (queue.length) window.setTimeout(drawNext, 0);
  };
  const enqueue = (figure) => {
    queue.push(figure);
    if (queue.length === 1) window.setTimeout(drawNext, 0);
  };
  const figures = document.querySelectorAll("figure[data-echart]");
  if (screen || !("IntersectionObserver" in window)) {
    figures.forEach(enqueue);
  } else {
    const seen = new IntersectionObserver(
      (entries) => {
        entries.forEach((entry) => {
          if (!entry.isIntersecting) return;
          seen.unobserve(entry.target);
          enqueue(entry.target);
        });
      },
      { rootMargin: "200px 0px" },
    );
    figures.forEach((figure) => seen.observe(figure));
  }

  // The big screen reloads itself (data-refresh seconds): a wall display nobody touches.
  // Not a <meta refresh>, which axe counts as a critical timing barrier for people.
  var refresh = parseInt(document.body.dataset.refresh || "", 10);
  if (refresh > 0) {
    window.setTimeout(function () { window.location.reload(); }, refresh * 1000);
  }
})();
