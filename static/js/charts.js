// The dashboard's charts (ECharts, vendored). Data comes from /dashboard/charts as JSON;
// every bar and slice links to the units list behind it.
"use strict";

(function () {
  var host = document.querySelector("[data-charts]");
  if (!host || typeof echarts === "undefined") {
    return;
  }
  var red = "#c8102e", grey = "#9aa0a6", gold = "#e0a100";
  var font = getComputedStyle(document.body).fontFamily;

  function chart(id, option) {
    var el = document.getElementById(id);
    if (!el) {
      return null;
    }
    var c = echarts.init(el, null, { renderer: "canvas" });
    option.textStyle = { fontFamily: font };
    option.animation = false;
    c.setOption(option);
    c.on("click", function (params) {
      if (params.data && params.data.link) {
        window.location.href = params.data.link;
      }
    });
    window.addEventListener("resize", function () { c.resize(); });
    return c;
  }

  function bars(items, key) {
    return items.map(function (d) {
      return { value: d[key], link: d.link };
    });
  }

  fetch(host.getAttribute("data-charts"), { credentials: "same-origin" })
    .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
    .then(function (data) {
      var kinds = data.by_kind.map(function (d) { return d.label; });
      chart("chart-kind", {
        tooltip: { trigger: "axis" },
        legend: { data: ["青年", "团员"], bottom: 0 },
        grid: { left: 50, right: 16, top: 16, bottom: 48 },
        xAxis: { type: "category", data: kinds },
        yAxis: { type: "value" },
        series: [
          { name: "青年", type: "bar", itemStyle: { color: grey }, data: bars(data.by_kind, "youth") },
          { name: "团员", type: "bar", itemStyle: { color: red }, data: bars(data.by_kind, "members") }
        ]
      });
      chart("chart-coverage", {
        tooltip: { trigger: "item", formatter: "{b}：{c}（{d}%）" },
        legend: { bottom: 0 },
        series: [{
          type: "pie", radius: ["40%", "70%"], label: { formatter: "{b}\n{c}" },
          data: data.coverage.map(function (d, i) {
            return { name: d.label, value: d.value, link: d.link, itemStyle: { color: i === 0 ? red : gold } };
          })
        }]
      });
      var top = data.top_without_organization.slice().reverse();
      chart("chart-top", {
        tooltip: { trigger: "axis" },
        grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
        xAxis: { type: "value" },
        yAxis: { type: "category", data: top.map(function (d) { return d.label; }),
                 axisLabel: { width: 150, overflow: "truncate" } },
        series: [{ name: "青年", type: "bar", itemStyle: { color: gold }, data: bars(top, "youth") }]
      });
      var before = data.previous_as_of ? "截止" + data.previous_as_of : "上一轮（无）";
      chart("chart-change", {
        tooltip: { trigger: "axis" },
        legend: { data: [before + " 团员", "本轮 团员"], bottom: 0 },
        grid: { left: 50, right: 16, top: 16, bottom: 48 },
        xAxis: { type: "category", data: kinds },
        yAxis: { type: "value" },
        series: [
          { name: before + " 团员", type: "bar", itemStyle: { color: grey }, data: bars(data.change, "members_before") },
          { name: "本轮 团员", type: "bar", itemStyle: { color: red }, data: bars(data.change, "members") }
        ]
      });
      host.setAttribute("data-ready", "true");
    })
    .catch(function () {
      host.setAttribute("data-ready", "error");
      host.insertAdjacentHTML("beforeend", "<p class=\"muted\">图表加载失败，请刷新页面重试。</p>");
    });
})();
