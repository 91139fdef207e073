// The outcry dashboard: reads the JSON API of `outcry serve` and draws it.
//
// Written without a framework or a build step so it ships inside the binary
// as is; the charts are inline SVG drawn here, so nothing is fetched from
// anywhere but this server. Text from posts is only ever set with
// textContent, never parsed as markup.
"use strict";

(function () {
  const SVG = "http://www.w3.org/2000/svg";
  const HOUR = 3600 * 1000;
  const REFRESH_MS = 60 * 1000;
  const POSTS_SHOWN = 20;

  const state = {
    polling: false,
    topics: [],
    topic: null,
    curve: [], // hourly buckets of the whole span
    incidents: [],
    largest: null,
    incident: null, // number of the selected incident
    hour: null, // ms of the selected hour
    hourChosen: false, // the user picked it (a refresh must not move it)
    range: "all",
    scale: "linear",
    complaintsOnly: false,
    generation: 0, // ignores answers to requests made for an older selection
  };

  const $ = (id) => document.getElementById(id);

  // ---- small helpers -------------------------------------------------------

  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v !== null && v !== undefined) e.setAttribute(k, v);
    }
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }

  function svg(tag, attrs, text) {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v !== null && v !== undefined) e.setAttribute(k, v);
    }
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function iso(ms) {
    return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
  }

  const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

  function two(n) {
    return String(n).padStart(2, "0");
  }

  // "2012-12-24 20:00"
  function show(ms) {
    if (ms === null || ms === undefined || Number.isNaN(ms)) return "–";
    const d = new Date(ms);
    return `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${two(d.getUTCHours())}:00`;
  }

  function showIso(s) {
    return s ? show(Date.parse(s)) : "–";
  }

  function dayLabel(ms) {
    const d = new Date(ms);
    return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}`;
  }

  let regionNames = null;
  try {
    regionNames = new Intl.DisplayNames(["en"], { type: "region" });
  } catch (_) {
    regionNames = null;
  }

  function regionName(code) {
    if (code === "unknown") return "unknown";
    if (code === "other") return "other regions";
    if (regionNames && /^[A-Z]{2}$/.test(code)) {
      try {
        const n = regionNames.of(code);
        if (n && n !== code) return `${n} (${code})`;
      } catch (_) {
        /* not a region Intl knows */
      }
    }
    return code;
  }

  function fmt(x, places) {
    if (x === null || x === undefined) return "–";
    return Number(x).toLocaleString("en", {
      maximumFractionDigits: places,
      minimumFractionDigits: 0,
    });
  }

  function setStatus(text, isError) {
    const s = $("status");
    s.textContent = text;
    s.classList.toggle("error", Boolean(isError));
  }

  async function api(path, params) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params || {})) {
      if (v !== null && v !== undefined && v !== "") q.set(k, String(v));
    }
    const url = q.toString() ? `${path}?${q}` : path;
    const r = await fetch(url, { headers: { Accept: "application/json" } });
    let body = null;
    try {
      body = await r.json();
    } catch (_) {
      body = null;
    }
    if (!r.ok) {
      const why = body && body.error ? body.error : `HTTP ${r.status}`;
      throw new Error(`${path}: ${why}`);
    }
    return body;
  }

  // ---- the address bar keeps the selection, so a view can be shared ------

  function readHash() {
    const h = new URLSearchParams(location.hash.replace(/^#/, ""));
    const hour = h.get("hour") ? Date.parse(h.get("hour")) : NaN;
    const incident = parseInt(h.get("incident") || "", 10);
    return {
      topic: h.get("topic"),
      hour: Number.isNaN(hour) ? null : Math.floor(hour / HOUR) * HOUR,
      incident: Number.isNaN(incident) ? null : incident,
      range: h.get("range"),
      scale: h.get("scale"),
    };
  }

  let writingHash = false;
  function writeHash() {
    const h = new URLSearchParams();
    if (state.topic) h.set("topic", state.topic);
    if (state.incident) h.set("incident", String(state.incident));
    if (state.hour !== null && state.hourChosen) h.set("hour", iso(state.hour));
    if (state.range !== "all") h.set("range", state.range);
    if (state.scale !== "linear") h.set("scale", state.scale);
    const next = `#${h}`;
    if (location.hash !== next) {
      writingHash = true;
      history.replaceState(null, "", next);
      writingHash = false;
    }
  }

  // ---- topics ---------------------------------------------------------------

  function fillTopics() {
    const select = $("topic");
    clear(select);
    for (const t of state.topics) {
      const label = t.first ? t.display_name : `${t.display_name} (no posts yet)`;
      select.appendChild(el("option", { value: t.name }, label));
    }
    select.disabled = state.topics.length === 0;
    if (state.topic) select.value = state.topic;
  }

  function defaultTopic() {
    const withData = state.topics.filter((t) => t.first);
    const netflix = withData.find((t) => t.name === "netflix");
    if (netflix) return netflix.name;
    if (withData.length) return withData[0].name;
    return state.topics.length ? state.topics[0].name : null;
  }

  // ---- loading a topic --------------------------------------------------------

  async function loadTopic(opts) {
    const gen = ++state.generation;
    const topic = state.topic;
    if (!topic) {
      setStatus("No topics: import an archive first (outcry import FILE).");
      return;
    }
    setStatus(`Loading ${topic}…`);
    let curve;
    let incidents;
    try {
      [curve, incidents] = await Promise.all([
        api("/api/curve", { topic }),
        api("/api/incidents", { topic }),
      ]);
    } catch (e) {
      if (gen === state.generation) setStatus(e.message, true);
      return;
    }
    if (gen !== state.generation) return;
    state.curve = curve.buckets.map((b) => ({
      t: Date.parse(b.start),
      complaints: b.complaints,
      posts: b.posts,
      baseline: b.baseline === undefined ? null : b.baseline,
      threshold: b.threshold === undefined ? null : b.threshold,
    }));
    state.incidents = incidents.incidents.map((i) => ({
      number: i.number,
      start: Date.parse(i.start),
      peak: Date.parse(i.peak),
      end: Date.parse(i.end),
      raw: i,
    }));
    state.largest = incidents.largest;

    if (!state.incidents.some((i) => i.number === state.incident)) {
      state.incident = state.largest;
    }
    const first = state.curve.length ? state.curve[0].t : null;
    const last = state.curve.length ? state.curve[state.curve.length - 1].t : null;
    const inSpan = (h) => h !== null && first !== null && h >= first && h <= last;
    if (!(state.hourChosen && inSpan(state.hour))) {
      state.hourChosen = false;
      const inc = selectedIncident();
      state.hour = inc ? inc.peak : last;
    }
    if (opts && opts.fresh && state.range === "all" && last !== null && (last - first) / HOUR > 24 * 60) {
      // A long store squeezes an incident into a pixel: start closer in.
      state.range = "week";
      $("range").value = "week";
    }

    const name = curve.display_name || topic;
    $("curve-title").textContent = `${name}: complaints per hour`;
    document.title = `outcry — ${name}`;
    drawChart();
    drawIncidents();
    writeHash();
    const updated = new Date().toISOString().slice(11, 19);
    setStatus(
      state.polling
        ? `Live: polling feeds, refreshed at ${updated} UTC`
        : `${state.curve.length} hours from ${show(first)} to ${show(last)} UTC`,
    );
    await Promise.all([loadSpread(gen), loadPosts(gen)]);
  }

  function selectedIncident() {
    return state.incidents.find((i) => i.number === state.incident) || null;
  }

  // ---- the curve ----------------------------------------------------------------

  function viewWindow() {
    const c = state.curve;
    if (!c.length) return [0, -1];
    if (state.range === "all" || state.hour === null) return [0, c.length - 1];
    const half = state.range === "week" ? 84 : 24;
    const at = Math.round((state.hour - c[0].t) / HOUR);
    let a = Math.max(0, at - half);
    let b = Math.min(c.length - 1, a + 2 * half);
    a = Math.max(0, b - 2 * half);
    return [a, b];
  }

  function drawChart() {
    const box = $("chart");
    clear(box);
    const c = state.curve;
    if (!c.length) {
      box.appendChild(el("p", { class: "empty" }, "No hours stored for this topic yet."));
      $("readout").textContent = "";
      return;
    }
    const [a, b] = viewWindow();
    const n = b - a + 1;
    const W = Math.max(300, Math.floor(box.clientWidth || 900));
    const H = W < 600 ? 220 : 300;
    const m = { l: 44, r: 10, t: 10, b: 30 };
    const pw = W - m.l - m.r;
    const ph = H - m.t - m.b;
    let top = 1;
    for (let i = a; i <= b; i++) {
      top = Math.max(top, c[i].complaints, c[i].threshold || 0);
    }
    top = niceCeil(top * 1.05);
    const x = (i) => m.l + ((i - a) / n) * pw;
    // A log scale shows the usual level and the outage on one chart.
    const log = state.scale === "log";
    const y = log
      ? (v) => m.t + ph - (Math.log10(1 + v) / Math.log10(1 + top)) * ph
      : (v) => m.t + ph - (v / top) * ph;

    const root = svg("svg", {
      viewBox: `0 0 ${W} ${H}`,
      width: W,
      height: H,
      class: "curve",
      role: "slider",
      tabindex: "0",
      "aria-label": "Selected hour on the complaint curve",
      "aria-valuemin": "0",
      "aria-valuemax": String(c.length - 1),
      "aria-describedby": "readout",
      "data-topic": state.topic,
    });

    // y grid and labels
    const ticks = [0];
    if (log) {
      for (let p = 1; p <= top; p *= 10) ticks.push(p);
    } else {
      ticks.push(top / 2, top);
    }
    for (const v of ticks) {
      root.appendChild(svg("line", { class: "grid", x1: m.l, x2: W - m.r, y1: y(v), y2: y(v) }));
      root.appendChild(
        svg("text", { class: "axis", x: m.l - 6, y: y(v) + 4, "text-anchor": "end" }, fmt(v, 0)),
      );
    }

    // incidents, under everything else
    for (const inc of state.incidents) {
      const ia = Math.round((inc.start - c[0].t) / HOUR);
      const ib = Math.round((inc.end - c[0].t) / HOUR);
      if (ib < a || ia > b) continue;
      const x0 = x(Math.max(ia, a));
      const x1 = x(Math.min(ib, b) + 1);
      const r = svg("rect", {
        class: inc.number === state.incident ? "incident selected" : "incident",
        x: x0,
        y: m.t,
        width: Math.max(1, x1 - x0),
        height: ph,
        "data-incident-number": String(inc.number),
        "data-incident-start": inc.raw.start,
        "data-incident-peak": inc.raw.peak,
        "data-incident-end": inc.raw.end,
      });
      r.appendChild(
        svg(
          "title",
          {},
          `Incident ${inc.number}: ${showIso(inc.raw.start)} to ${showIso(inc.raw.end)} UTC, peak ${fmt(inc.raw.peak_complaints, 0)} complaints (${fmt(inc.raw.ratio, 1)}× baseline)`,
        ),
      );
      root.appendChild(r);
    }

    // the band: from the baseline up to the count that would be abnormal
    const band = [];
    const base = [];
    for (let i = a; i <= b; i++) {
      if (c[i].baseline === null || c[i].threshold === null) continue;
      band.push([i, c[i].baseline, c[i].threshold]);
    }
    if (band.length) {
      const up = band.map(([i, , t]) => `${x(i).toFixed(1)},${y(t).toFixed(1)} ${x(i + 1).toFixed(1)},${y(t).toFixed(1)}`);
      const down = band
        .slice()
        .reverse()
        .map(([i, bl]) => `${x(i + 1).toFixed(1)},${y(bl).toFixed(1)} ${x(i).toFixed(1)},${y(bl).toFixed(1)}`);
      root.appendChild(svg("polygon", { class: "band", points: up.concat(down).join(" ") }));
      for (const [i, bl] of band) base.push(`${x(i).toFixed(1)},${y(bl).toFixed(1)} ${x(i + 1).toFixed(1)},${y(bl).toFixed(1)}`);
      root.appendChild(svg("polyline", { class: "baseline", points: base.join(" ") }));
    }

    // complaints as a step line over a light area
    let d = `M${x(a).toFixed(1)},${y(0).toFixed(1)}`;
    for (let i = a; i <= b; i++) {
      d += ` L${x(i).toFixed(1)},${y(c[i].complaints).toFixed(1)} L${x(i + 1).toFixed(1)},${y(c[i].complaints).toFixed(1)}`;
    }
    root.appendChild(svg("path", { class: "complaints-area", d: `${d} L${x(b + 1).toFixed(1)},${y(0).toFixed(1)} Z` }));
    let line = `M${x(a).toFixed(1)},${y(c[a].complaints).toFixed(1)}`;
    for (let i = a; i <= b; i++) {
      line += ` V${y(c[i].complaints).toFixed(1)} H${x(i + 1).toFixed(1)}`;
    }
    root.appendChild(svg("path", { class: "complaints", d: line }));

    // x axis: days, or every six hours when zoomed in
    root.appendChild(svg("line", { class: "axis-line", x1: m.l, x2: W - m.r, y1: y(0), y2: y(0) }));
    const days = n / 24;
    const pxPerDay = pw / Math.max(days, 1 / 24);
    const labelEvery = pxPerDay >= 56 ? 1 : Math.ceil(56 / pxPerDay);
    let dayIndex = 0;
    for (let i = a; i <= b; i++) {
      const hour = new Date(c[i].t).getUTCHours();
      if (hour === 0) {
        root.appendChild(svg("line", { class: "tick", x1: x(i), x2: x(i), y1: y(0), y2: y(0) + 5 }));
        if (dayIndex % labelEvery === 0) {
          root.appendChild(svg("text", { class: "axis", x: x(i) + 2, y: H - 8 }, dayLabel(c[i].t)));
        }
        dayIndex++;
      } else if (pxPerDay >= 240 && hour % 6 === 0) {
        root.appendChild(svg("line", { class: "tick minor", x1: x(i), x2: x(i), y1: y(0), y2: y(0) + 3 }));
        root.appendChild(svg("text", { class: "axis minor", x: x(i) + 2, y: H - 8 }, `${two(hour)}h`));
      }
    }

    // the selected hour
    const sel = state.hour === null ? -1 : Math.round((state.hour - c[0].t) / HOUR);
    if (sel >= a && sel <= b) {
      root.appendChild(
        svg("rect", {
          class: "cursor",
          x: x(sel),
          y: m.t,
          width: Math.max(2, x(sel + 1) - x(sel)),
          height: ph,
          "data-hour": iso(c[sel].t),
        }),
      );
      root.setAttribute("aria-valuenow", String(sel));
      root.setAttribute("aria-valuetext", `${show(c[sel].t)} UTC, ${c[sel].complaints} complaints`);
    }

    root.addEventListener("click", (ev) => {
      const rect = root.getBoundingClientRect();
      const px = ((ev.clientX - rect.left) / rect.width) * W;
      const i = a + Math.floor(((px - m.l) / pw) * n);
      if (i >= a && i <= b) selectHour(c[i].t, true);
    });
    root.addEventListener("keydown", onChartKey);
    box.appendChild(root);
    drawReadout();
  }

  function niceCeil(v) {
    const p = Math.pow(10, Math.floor(Math.log10(v)));
    for (const s of [1, 2, 2.5, 5, 10]) {
      if (s * p >= v) return s * p;
    }
    return 10 * p;
  }

  function onChartKey(ev) {
    const c = state.curve;
    if (!c.length || state.hour === null) return;
    const steps = { ArrowLeft: -1, ArrowRight: 1, ArrowDown: -1, ArrowUp: 1, PageUp: 24, PageDown: -24 };
    let target = null;
    if (ev.key in steps) target = state.hour + steps[ev.key] * HOUR;
    else if (ev.key === "Home") target = c[0].t;
    else if (ev.key === "End") target = c[c.length - 1].t;
    if (target === null) return;
    ev.preventDefault();
    target = Math.min(Math.max(target, c[0].t), c[c.length - 1].t);
    selectHour(target, true);
    const chart = document.querySelector("#chart svg");
    if (chart) chart.focus();
  }

  function drawReadout() {
    const c = state.curve;
    const out = $("readout");
    if (state.hour === null || !c.length) {
      out.textContent = "";
      return;
    }
    const i = Math.round((state.hour - c[0].t) / HOUR);
    const b = c[i];
    if (!b) {
      out.textContent = "";
      return;
    }
    let text = `${show(b.t)} UTC: ${fmt(b.complaints, 0)} complaints in ${fmt(b.posts, 0)} posts`;
    if (b.baseline !== null) {
      text += `; usually about ${fmt(b.baseline, 1)}, abnormal from ${fmt(b.threshold, 0)}`;
    }
    const inc = state.incidents.find((x) => x.start <= b.t && b.t <= x.end);
    if (inc) text += `; inside incident ${inc.number}`;
    out.textContent = text;
  }

  function selectHour(ms, chosen) {
    state.hour = ms;
    state.hourChosen = chosen;
    drawChart();
    writeHash();
    loadPosts(state.generation);
  }

  // ---- incidents -----------------------------------------------------------------

  function drawIncidents() {
    const body = document.querySelector("#incidents tbody");
    clear(body);
    $("incidents-empty").hidden = state.incidents.length > 0;
    for (const inc of state.incidents) {
      const r = inc.raw;
      const selected = inc.number === state.incident;
      const tr = el("tr", {
        class: selected ? "selected" : null,
        "aria-current": selected ? "true" : null,
        "data-incident-start": r.start,
      });
      const th = el("th", { scope: "row" });
      const button = el(
        "button",
        {
          type: "button",
          class: "pick",
          "aria-pressed": selected ? "true" : "false",
          "aria-label": `Show incident ${r.number}, from ${showIso(r.start)} UTC`,
        },
        `#${r.number}`,
      );
      button.addEventListener("click", () => selectIncident(inc.number));
      th.appendChild(button);
      tr.appendChild(th);
      tr.appendChild(el("td", {}, showIso(r.start)));
      tr.appendChild(el("td", {}, showIso(r.peak)));
      tr.appendChild(el("td", {}, showIso(r.end)));
      tr.appendChild(el("td", { class: "num" }, fmt(r.hours, 0)));
      tr.appendChild(el("td", { class: "num" }, fmt(r.peak_complaints, 0)));
      tr.appendChild(el("td", { class: "num" }, fmt(r.baseline_at_peak, 1)));
      tr.appendChild(el("td", { class: "num" }, `${fmt(r.ratio, 1)}×`));
      tr.appendChild(el("td", {}, r.regions.length ? r.regions.join(", ") : "–"));
      body.appendChild(tr);
    }
  }

  function selectIncident(number) {
    const inc = state.incidents.find((i) => i.number === number);
    if (!inc) return;
    state.incident = number;
    state.hour = inc.peak;
    state.hourChosen = true;
    drawChart();
    drawIncidents();
    writeHash();
    const gen = state.generation;
    loadSpread(gen);
    loadPosts(gen);
    const button = document.querySelector(`#incidents tbody tr[aria-current="true"] button`);
    if (button) button.focus();
  }

  // ---- spread --------------------------------------------------------------------

  async function loadSpread(gen) {
    const box = $("spread");
    const caption = $("spread-caption");
    const body = document.querySelector("#spread-table tbody");
    if (!state.incident) {
      clear(box);
      clear(body);
      caption.textContent = "No incident to describe.";
      return;
    }
    let s;
    try {
      s = await api("/api/spread", { topic: state.topic, incident: state.incident });
    } catch (e) {
      if (gen === state.generation) caption.textContent = e.message;
      return;
    }
    if (gen !== state.generation || s.incident !== state.incident) return;
    clear(box);
    clear(body);
    const from = Date.parse(s.from);
    const hit = s.regions.filter((r) => r.onset && r.region !== "other" && r.region !== "unknown");
    caption.textContent = hit.length
      ? `Incident ${s.incident}, ${show(from)} to ${showIso(s.to)} UTC: ${hit.map((r) => r.region).join(" → ")} (first hit first).`
      : `Incident ${s.incident}, ${show(from)} to ${showIso(s.to)} UTC: no single region rose on its own.`;
    drawTimeline(box, s, from);
    for (const r of s.regions) {
      const tr = el("tr", { "data-region": r.region });
      tr.appendChild(el("th", { scope: "row" }, regionName(r.region)));
      tr.appendChild(el("td", {}, showIso(r.onset)));
      tr.appendChild(el("td", {}, showIso(r.peak)));
      tr.appendChild(el("td", {}, showIso(r.end)));
      tr.appendChild(el("td", { class: "num" }, fmt(r.complaints, 0)));
      tr.appendChild(el("td", { class: "num" }, `${fmt(r.share * 100, 1)}%`));
      body.appendChild(tr);
    }
  }

  // One row per region, one cell per hour: strong while the region was in
  // its own incident, pale otherwise, darker when louder.
  function drawTimeline(box, s, from) {
    const rows = s.timeline;
    if (!rows.length) {
      box.appendChild(el("p", { class: "empty" }, "No complaints in this window."));
      return;
    }
    const hours = rows[0].complaints.length;
    const W = Math.max(300, Math.floor(box.clientWidth || 600));
    const labelW = 74;
    const rowH = 20;
    const H = rows.length * rowH + 26;
    const cw = (W - labelW - 6) / Math.max(hours, 1);
    const root = svg("svg", {
      viewBox: `0 0 ${W} ${H}`,
      width: W,
      height: H,
      class: "timeline",
      role: "img",
      "aria-label": `Complaints per hour and region from ${show(from)} UTC; the table below has the same figures`,
    });
    rows.forEach((row, ri) => {
      const info = s.regions[ri] || {};
      const g = svg("g", {
        class: "spread-row",
        "data-region": row.region,
        "data-onset": info.onset || "",
      });
      const yy = ri * rowH;
      g.appendChild(svg("text", { class: "axis", x: 0, y: yy + 14 }, row.region));
      const loudest = Math.max(1, ...row.complaints);
      row.complaints.forEach((v, hi) => {
        const active = row.active[hi];
        const cell = svg("rect", {
          class: active ? "cell active" : "cell",
          x: labelW + hi * cw,
          y: yy + 2,
          width: Math.max(1, cw - 1),
          height: rowH - 4,
          "fill-opacity": (0.15 + 0.85 * (v / loudest)).toFixed(2),
        });
        cell.appendChild(svg("title", {}, `${row.region}, ${show(from + hi * HOUR)} UTC: ${v} complaints${active ? " (in its own incident)" : ""}`));
        g.appendChild(cell);
      });
      root.appendChild(g);
    });
    // hour labels every few cells; a day's name at midnight
    const every = Math.max(1, Math.ceil(44 / cw));
    for (let hi = 0; hi < hours; hi += every) {
      const d = new Date(from + hi * HOUR);
      const label = d.getUTCHours() === 0 ? dayLabel(d.getTime()) : `${two(d.getUTCHours())}h`;
      root.appendChild(svg("text", { class: "axis", x: labelW + hi * cw, y: H - 6 }, label));
    }
    box.appendChild(root);
  }

  // ---- posts ---------------------------------------------------------------------

  async function loadPosts(gen) {
    const list = $("posts");
    const caption = $("posts-caption");
    if (state.hour === null) {
      clear(list);
      caption.textContent = "";
      return;
    }
    const hour = state.hour;
    $("posts-hour").textContent = `at ${show(hour)} UTC`;
    let p;
    try {
      p = await api("/api/posts", {
        topic: state.topic,
        from: iso(hour),
        to: iso(hour),
        complaints: state.complaintsOnly ? "true" : null,
        limit: POSTS_SHOWN,
      });
    } catch (e) {
      if (gen === state.generation) caption.textContent = e.message;
      return;
    }
    if (gen !== state.generation || hour !== state.hour) return;
    clear(list);
    const shown = p.posts.length;
    caption.textContent = shown
      ? `${p.groups} different texts${p.groups > shown ? `, the ${shown} most repeated shown` : ""}.`
      : "No posts kept for this hour.";
    for (const post of p.posts) {
      const li = el("li", { class: `post ${post.label}`, "data-label": post.label });
      const meta = el("p", { class: "meta" });
      meta.appendChild(el("span", { class: `badge ${post.label}` }, post.label));
      if (post.complaint) meta.appendChild(el("span", { class: "badge complaint" }, "complaint"));
      meta.appendChild(el("span", {}, `${post.time.slice(11, 16)} UTC`));
      meta.appendChild(el("span", {}, regionName(post.region)));
      if (post.language) meta.appendChild(el("span", {}, post.language));
      meta.appendChild(el("span", {}, `score ${post.compound >= 0 ? "+" : ""}${fmt(post.compound, 2)}`));
      if (post.count > 1) meta.appendChild(el("span", { class: "count" }, `×${post.count}`));
      li.appendChild(meta);
      li.appendChild(el("p", { class: "text" }, post.text || "(text not kept)"));
      list.appendChild(li);
    }
  }

  // ---- wiring --------------------------------------------------------------------

  async function refresh() {
    try {
      const t = await api("/api/topics");
      // Rebuilding the picker while someone uses it would close it.
      if (JSON.stringify(t.topics) !== JSON.stringify(state.topics)) {
        state.topics = t.topics;
        fillTopics();
      }
    } catch (e) {
      setStatus(e.message, true);
      return;
    }
    await loadTopic();
  }

  function applyHash() {
    const h = readHash();
    if (h.range && ["all", "week", "2days"].includes(h.range)) {
      state.range = h.range;
      $("range").value = h.range;
    }
    if (h.scale === "log" || h.scale === "linear") {
      state.scale = h.scale;
      $("scale").value = h.scale;
    }
    state.incident = h.incident;
    if (h.hour !== null) {
      state.hour = h.hour;
      state.hourChosen = true;
    }
    const known = state.topics.some((t) => t.name === h.topic);
    state.topic = known ? h.topic : defaultTopic();
    fillTopics();
  }

  async function start() {
    try {
      const health = await api("/api/health");
      state.polling = Boolean(health.polling);
      $("version").textContent = health.version;
      const t = await api("/api/topics");
      state.topics = t.topics;
    } catch (e) {
      setStatus(`Cannot reach the outcry API: ${e.message}`, true);
      return;
    }
    applyHash();
    $("topic").addEventListener("change", () => {
      state.topic = $("topic").value;
      state.incident = null;
      state.hour = null;
      state.hourChosen = false;
      loadTopic({ fresh: true });
    });
    $("range").addEventListener("change", () => {
      state.range = $("range").value;
      drawChart();
      writeHash();
    });
    $("scale").addEventListener("change", () => {
      state.scale = $("scale").value;
      drawChart();
      writeHash();
    });
    $("complaints-only").addEventListener("change", () => {
      state.complaintsOnly = $("complaints-only").checked;
      loadPosts(state.generation);
    });
    window.addEventListener("hashchange", () => {
      if (writingHash) return;
      const before = state.topic;
      applyHash();
      loadTopic({ fresh: state.topic !== before });
    });
    let resizeTimer = null;
    window.addEventListener("resize", () => {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(() => {
        drawChart();
        loadSpread(state.generation);
      }, 150);
    });
    if (state.polling) setInterval(refresh, REFRESH_MS);
    await loadTopic({ fresh: readHash().range === null });
  }

  start();
})();
