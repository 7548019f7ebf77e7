/* Dashboards: read the figures embedded with json_script and draw them with ECharts.
 * Every data point may carry a `url`: clicking it opens the list behind the figure. */
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var printing = document.body.classList.contains("print-mode");
  var palette = ["#adb5bd", "#6c757d", "#0dcaf0", "#0d6efd", "#6610f2", "#fd7e14", "#198754", "#d63384", "#b30000"];

  function values(points) { return points.map(function (p) { return p; }); }

  var builders = {
    progress: function (d) {
      return {
        color: palette,
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        legend: { type: "scroll", top: 0 },
        grid: { left: 8, right: 16, bottom: 8, top: 40, containLabel: true },
        xAxis: { type: "category", data: d.categories, axisLabel: { interval: 0, rotate: d.categories.length > 8 ? 40 : 0 } },
        yAxis: { type: "value", minInterval: 1 },
        series: d.series.map(function (s) {
          return { name: s.name, type: "bar", stack: "stage", emphasis: { focus: "series" }, data: values(s.data) };
        }).concat([{
          name: d.late_label, type: "line", symbolSize: 8, itemStyle: { color: "#b30000" },
          data: d.late.map(function (l) { return { value: l.value, url: l.url }; })
        }])
      };
    },
    stars: function (d) {
      return {
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        legend: { top: 0 },
        grid: { left: 8, right: 16, bottom: 8, top: 40, containLabel: true },
        xAxis: { type: "category", data: d.categories },
        yAxis: { type: "value", minInterval: 1 },
        color: ["#b30000", "#fd7e14", "#0d6efd"],
        series: d.series.map(function (s) { return { name: s.name, type: "bar", data: values(s.data) }; })
      };
    },
    pie: function (d) {
      return {
        tooltip: { trigger: "item" },
        legend: { type: "scroll", bottom: 0 },
        series: [{ type: "pie", radius: ["35%", "65%"], data: d, label: { formatter: "{b}: {c}" } }]
      };
    },
    trend: function (d) {
      return {
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        grid: { left: 8, right: 16, bottom: 8, top: 40, containLabel: true },
        xAxis: { type: "category", data: d.years },
        // Axis names start at the axis and run inwards: centred, the left one was cut off at the card edge.
        yAxis: [
          { type: "value", name: d.labels.mean, min: 0, max: 100, nameTextStyle: { align: "left" } },
          { type: "value", name: d.labels.count, minInterval: 1, nameTextStyle: { align: "right" } }
        ],
        series: [
          { name: d.labels.mean, type: "line", data: d.mean, itemStyle: { color: "#b30000" } },
          { name: d.labels.approved, type: "bar", yAxisIndex: 1, data: d.approved, itemStyle: { color: "#198754" } },
          { name: d.labels.five_star, type: "bar", yAxisIndex: 1, data: d.five_star, itemStyle: { color: "#fd7e14" } }
        ]
      };
    },
    city: function (d) {
      return {
        color: ["#adb5bd", "#0d6efd", "#198754", "#6c757d", "#b30000"],
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        legend: { top: 0 },
        grid: { left: 8, right: 48, bottom: 8, top: 40, containLabel: true },
        xAxis: { type: "category", data: d.categories, axisLabel: { interval: 0, rotate: d.categories.length > 8 ? 40 : 0 } },
        yAxis: [{ type: "value", minInterval: 1 }, { type: "value", name: d.share_label, min: 0, max: 100, nameTextStyle: { align: "right" } }],
        series: d.series.map(function (s) { return { name: s.name, type: "bar", stack: "villages", barMaxWidth: 120, data: s.data }; })
          .concat([{ name: d.share_label, type: "line", yAxisIndex: 1, data: d.share, itemStyle: { color: "#fd7e14" } }])
      };
    }
  };

  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var kind = el.getAttribute("data-chart");
    var figure = data[el.getAttribute("data-key") || kind];
    if (!figure || !builders[kind]) { return; }
    var chart = echarts.init(el, null, { renderer: printing ? "svg" : "canvas" });
    var option = builders[kind](figure);
    option.animation = !printing;
    // ECharts' HTML tooltip is built from markup with style="" attributes, which the
    // Content-Security-Policy blocks; the rich-text tooltip is drawn on the chart itself.
    if (option.tooltip) { option.tooltip.renderMode = "richText"; }
    // On paper a scrolling legend would hide entries: print them all.
    if (printing && option.legend) { option.legend.type = "plain"; }
    chart.setOption(option);
    chart.on("click", function (params) {
      var target = params.data && params.data.url;
      if (target) { window.location.href = target; }
    });
    window.addEventListener("resize", function () { chart.resize(); });
    el.setAttribute("data-rendered", "1");
  });
  if (printing && document.body.getAttribute("data-autoprint") === "1") {
    window.setTimeout(function () { window.print(); }, 300);
  }
})();
