/* The map of a brand, district or park (parkos.maps): parks, parcels and buildings coloured by a layer.
 *
 * Settings come from the page's json_script block "map-config"; the data from the maps API: parks and parcels
 * (and the buildings of a small map) in one request, each feature with its id, code and class in every layer.
 * A big map's buildings come per viewport (bbox) once zoomed in to data.buildings_zoom; a clicked parcel's or
 * building's figures come from the object endpoint.
 * Every name is set as text (textContent, DOM nodes handed to Leaflet), never as HTML: names come from
 * users (STYLE.md rule 20). Outlines are edited with Leaflet-Geoman when the page loaded it (the user may
 * change parcels or buildings) and saved through the API, which runs the one write path.
 */
(function () {
  "use strict";
  const configNode = document.getElementById("map-config");
  const mapNode = document.getElementById("parkos-map");
  if (!configNode || !mapNode || !window.L) return;
  const config = JSON.parse(configNode.textContent);
  const words = config.words;
  const started = performance.now();

  const el = (tag, text, className) => {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  };
  const url = (pattern, id) => (pattern ? pattern.replace(/\/0\/$/, "/" + id + "/") : "");
  const notice = (text) => {
    const box = document.getElementById("map-notice");
    if (!box) return;
    box.textContent = text || "";
    box.hidden = !text;
  };

  const goto = document.getElementById("map-goto");
  if (goto) goto.addEventListener("change", () => { window.location.href = goto.value; });

  const map = L.map(mapNode, { zoomControl: true, attributionControl: true });
  map.attributionControl.setPrefix(false);
  mapNode.parkosMap = map; // for the browser tests, which move the map
  L.control.scale({ imperial: false, metric: true }).addTo(map);
  const tiles = config.tiles || {};
  if (tiles.url) {
    L.tileLayer(tiles.url, {
      attribution: tiles.attribution || "",
      subdomains: tiles.subdomains || "abc",
      maxZoom: tiles.maxZoom || 18,
    }).addTo(map);
  } else {
    mapNode.classList.add("parkos-map-plain");
  }
  map.setView([31.2, 121.5], 10);

  let layerKey = config.layer;
  let layerIndex = Math.max(0, config.layers.findIndex((l) => l.key === layerKey));
  let data = null;
  let selected = null;
  const groups = { parks: null, parcels: null, buildings: null, labels: L.layerGroup(), districts: L.layerGroup() };

  function classOf(feature) {
    const legend = data.legend[layerIndex];
    const key = (feature.properties.L || [])[layerIndex];
    if (key === null || key === undefined) return null;
    return legend.classes.find((c) => c.key === key) || null;
  }

  function styleFor(kind) {
    return (feature) => {
      const cls = classOf(feature);
      if (kind === "parks") {
        const show = cls && layerKey === "occupancy" && cls.key !== "";
        return { className: "map-parks", color: "#1d273b", weight: 2, dashArray: "6 4", fillColor: show ? cls.colour : "#206bc4", fillOpacity: show ? 0.25 : 0.04 };
      }
      const colour = cls ? cls.colour : "#adb5bd";
      if (kind === "buildings") return { className: "map-buildings", color: "#1d273b", weight: 1, fillColor: colour, fillOpacity: 0.9 };
      return { className: "map-parcels", color: "#495057", weight: 1, fillColor: colour, fillOpacity: 0.6 };
    };
  }

  function row(table, label, value) {
    if (value === undefined || value === null || value === "") return;
    const tr = el("tr");
    tr.append(el("th", label, "text-secondary fw-normal pe-2"), el("td", value));
    table.append(tr);
  }

  function link(text, href) {
    if (!href) return ""; // a page the user may not open (a government partner's map links to none)
    const a = el("a", text, "btn btn-sm");
    a.href = href;
    return a;
  }

  function layerRows(table, properties) {
    config.layers.forEach((layer, index) => {
      if (layer.key === "occupancy" || !layer.shown) return;
      const key = (properties.L || [])[index];
      const cls = data.legend[index].classes.find((c) => c.key === key);
      if (cls) row(table, layer.label, cls.label);
    });
  }

  function fillPanel(kind, p, layer) {
    const panel = document.getElementById("map-panel");
    const table = el("table", null, "table table-sm small mb-2");
    const actions = el("div", null, "d-flex flex-wrap gap-1");
    let title;
    if (kind === "parks") {
      title = p.n;
      row(table, words.district, p.d);
      row(table, words.landArea, p.a);
      row(table, words.parcels, p.np);
      if (!config.partner) row(table, words.occupancy, p.o);
      actions.append(link(words.open, url(config.urls.park, p.id)), link(words.parkMap, url(config.urls.parkMap, p.id)));
    } else if (kind === "parcels") {
      title = words.parcel + " " + p.c;
      if (!config.partner) row(table, words.holder, p.h);
      row(table, words.area, p.a);
      if (!config.partner) row(table, words.occupancy, p.o);
      layerRows(table, p);
      if (p.id !== undefined) actions.append(link(words.open, url(config.urls.parcel, p.id)));
      if (p.hi) actions.append(link(words.openHolder, url(config.urls.holder, p.hi)));
    } else {
      title = words.building + " " + [p.c, p.n].filter(Boolean).join(" ");
      row(table, words.floorArea, p.a);
      row(table, words.floors, p.f);
      if (!config.partner) row(table, words.occupancy, p.o);
      if (p.id !== undefined) actions.append(link(words.open, url(config.urls.building, p.id)));
    }
    const heading = el("h3", title, "mb-2");
    heading.id = "map-panel-title";
    const status = el("div", null, "small mt-2");
    status.id = "map-edit-status";
    panel.replaceChildren(heading, table, actions, status);
    if (p.e && layer && layer.pm && kind !== "parks") actions.append(editButton(kind === "parcels" ? "parcel" : "building", p.id, layer, actions));
  }

  // the last click wins: a slower answer for an earlier click is dropped
  let panelRequest = 0;

  function showPanel(kind, feature, layer) {
    const mine = ++panelRequest;
    if (kind === "parks") { fillPanel(kind, feature.properties, layer); return; }
    // a parcel's or building's figures are not in the map's data: ask for them (the title shows meanwhile)
    const p = feature.properties;
    fillPanel(kind, { c: p.c, L: p.L }, null);
    const objectKind = kind === "parcels" ? "parcel" : "building";
    fetch(config.object.replace("KIND", objectKind).replace(/\/0\/$/, "/" + p.id + "/"), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then((response) => { if (!response.ok) throw new Error(String(response.status)); return response.json(); })
      .then((body) => { if (mine === panelRequest) fillPanel(kind, body.properties, layer); })
      .catch(() => { if (mine === panelRequest) say(words.loadFailed, true); });
  }

  // --- editing (Leaflet-Geoman, loaded only for those who may change outlines) ----------------------------

  function csrf() {
    const input = document.querySelector("#map-card input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function say(text, danger) {
    const status = document.getElementById("map-edit-status");
    if (!status) return;
    status.className = "small mt-2 " + (danger ? "text-danger" : "text-success");
    status.textContent = text;
  }

  async function saveOutline(kind, id, geometry) {
    const response = await fetch(config.outline.replace("KIND", kind).replace(/\/0\/$/, "/" + id + "/"), {
      method: "PUT",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify({ geometry: geometry }),
    });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      const messages = [];
      Object.values(body).forEach((v) => messages.push(...(Array.isArray(v) ? v : [v])));
      throw new Error(messages.join(" ") || String(response.status));
    }
    return body;
  }

  function editButton(kind, id, layer, actions) {
    const button = el("button", words.edit, "btn btn-sm btn-primary");
    button.type = "button";
    button.id = "map-edit";
    button.addEventListener("click", () => {
      const original = layer.toGeoJSON().geometry;
      layer.pm.enable({ allowSelfIntersection: false });
      const save = el("button", words.save, "btn btn-sm btn-primary");
      save.type = "button";
      save.id = "map-save";
      const cancel = el("button", words.cancel, "btn btn-sm");
      cancel.type = "button";
      button.replaceWith(save);
      actions.append(cancel);
      const done = () => { layer.pm.disable(); save.remove(); cancel.remove(); };
      cancel.addEventListener("click", () => {
        done();
        layer.setLatLngs(L.GeoJSON.geometryToLayer({ type: "Feature", geometry: original }).getLatLngs());
        actions.append(editButton(kind, id, layer, actions));
      });
      save.addEventListener("click", async () => {
        say(words.saving);
        try {
          await saveOutline(kind, id, layer.toGeoJSON().geometry);
          done();
          actions.append(editButton(kind, id, layer, actions));
          say(words.saved);
        } catch (error) {
          say(words.failed + " " + error.message, true);
        }
      });
    });
    return button;
  }

  function setUpDrawing() {
    const box = document.getElementById("map-draw");
    if (!box || !map.pm || !data.missing.length) return;
    const target = document.getElementById("map-draw-target");
    data.missing.forEach((m) => {
      const option = el("option", (m.k === "parcel" ? words.parcel : words.building) + " " + m.c);
      option.value = m.k + ":" + m.id;
      target.append(option);
    });
    box.hidden = false;
    document.getElementById("map-draw-start").addEventListener("click", () => {
      map.pm.enableDraw("Polygon", { allowSelfIntersection: false });
    });
    map.on("pm:create", async (event) => {
      const [kind, id] = target.value.split(":");
      const panel = document.getElementById("map-panel");
      const status = el("div", words.saving, "small mt-2");
      status.id = "map-edit-status";
      panel.replaceChildren(status);
      try {
        await saveOutline(kind, id, event.layer.toGeoJSON().geometry);
        window.location.reload();
      } catch (error) {
        map.removeLayer(event.layer);
        say(words.failed + " " + error.message, true);
      }
    });
  }

  // --- drawing ----------------------------------------------------------------------------------------

  function legendFor() {
    const legend = data.legend[layerIndex];
    document.getElementById("map-legend-title").textContent = legend.label + (legend.key === "grade" && data.grade_year ? " · " + data.grade_year : "");
    const list = document.getElementById("map-legend");
    list.replaceChildren(...legend.classes.map((c) => {
      const item = el("li", null, "d-flex align-items-center gap-2 mb-1");
      item.dataset.key = c.key;
      const swatch = el("span", null, "map-swatch");
      swatch.style.background = c.colour;
      item.append(swatch, el("span", c.label, "flex-fill"), el("span", c.area ? c.count + " · " + c.area : c.count, "text-secondary"));
      return item;
    }));
  }

  function restyle() {
    ["parks", "parcels", "buildings"].forEach((kind) => { if (groups[kind]) groups[kind].setStyle(styleFor(kind)); });
    if (selected) selected.setStyle({ weight: 3, color: "#0054a6" });
    legendFor();
  }

  function labelNode(text, className) {
    return el("span", text, className);
  }

  // --- labels: no two overlap, none crosses the map's edge -----------------------------------------------

  //: from this zoom on a park's name goes before a district's (a district's name is the context further out)
  const PARK_ZOOM = 12;
  let declutterFrame = 0;

  function declutterSoon() {
    // after every handler of this move (the parcel numbers of a big map are made again on moveend)
    if (!declutterFrame) declutterFrame = requestAnimationFrame(() => { declutterFrame = 0; declutter(); });
  }

  function labelElements() {
    const parks = [], districts = [], parcels = [];
    if (groups.parks && map.hasLayer(groups.parks)) {
      groups.parks.eachLayer((layer) => {
        const tip = layer.getTooltip();
        const node = tip && tip.getElement && tip.getElement();
        if (node && node.isConnected) parks.push(node);
      });
    }
    const markers = (group, into) => {
      if (!map.hasLayer(group)) return;
      group.eachLayer((marker) => { const node = marker.getElement(); if (node) into.push(node); });
    };
    markers(groups.districts, districts);
    markers(groups.labels, parcels);
    const first = map.getZoom() >= PARK_ZOOM ? [parks, districts] : [districts, parks];
    return [...first[0], ...first[1], ...parcels];
  }

  function declutter() {
    const begun = performance.now();
    const nodes = labelElements();
    // all writes, then all reads (one layout), then all writes
    nodes.forEach((node) => { node.style.marginLeft = ""; node.style.marginTop = ""; });
    const box = mapNode.getBoundingClientRect();
    // a marker's text is centred inside it (map.css): its box is the text's
    const boxOf = (node) => (node.classList.contains("leaflet-marker-icon") && node.firstElementChild) || node;
    const rects = nodes.map((node) => boxOf(node).getBoundingClientRect());
    const placed = [];
    const cell = 64;
    const grid = new Map();
    const cells = (r, fn) => {
      for (let x = Math.floor(r.left / cell); x <= Math.floor(r.right / cell); x++) {
        for (let y = Math.floor(r.top / cell); y <= Math.floor(r.bottom / cell); y++) fn(x + ":" + y);
      }
    };
    const hits = (r) => {
      let hit = false;
      cells(r, (key) => {
        if (hit || !grid.has(key)) return;
        hit = grid.get(key).some((o) => r.left < o.right && o.left < r.right && r.top < o.bottom && o.top < r.bottom);
      });
      return hit;
    };
    const pad = 2;
    const shifts = nodes.map((node, i) => {
      const r = rects[i];
      if (!r.width && !r.height) return null;
      // moved inside the map's box if it crosses an edge; hidden if it cannot fit or lies outside the view
      let dx = 0, dy = 0;
      if (r.right > box.right - pad) dx = box.right - pad - r.right;
      if (r.left + dx < box.left + pad) dx = box.left + pad - r.left;
      if (r.bottom > box.bottom - pad) dy = box.bottom - pad - r.bottom;
      if (r.top + dy < box.top + pad) dy = box.top + pad - r.top;
      const fits = r.width <= box.width - 2 * pad && r.height <= box.height - 2 * pad;
      const far = Math.abs(dx) > r.width || Math.abs(dy) > r.height; // its point is outside the view
      const at = { left: r.left + dx, right: r.right + dx, top: r.top + dy, bottom: r.bottom + dy };
      if (!fits || far || hits(at)) return null;
      placed.push(at);
      cells(at, (key) => { if (!grid.has(key)) grid.set(key, []); grid.get(key).push(at); });
      return [dx, dy];
    });
    nodes.forEach((node, i) => {
      const shift = shifts[i];
      node.classList.toggle("map-label-hidden", !shift);
      if (shift && shift[0]) node.style.marginLeft = Math.round(shift[0]) + "px";
      if (shift && shift[1]) node.style.marginTop = Math.round(shift[1]) + "px";
    });
    mapNode.dataset.labels = String(placed.length);
    mapNode.dataset.labelsMs = String(Math.round(performance.now() - begun)); // for the browser tests
  }

  // --- a big map's buildings: per viewport, from data.buildings_zoom on ------------------------------------

  const loadedBuildings = new Set();
  let buildingsRequest = null;

  function loadBuildings() {
    if (!data.buildings_zoom || map.getZoom() < data.buildings_zoom) return;
    const view = map.getBounds().pad(0.25);
    const round = (n) => n.toFixed(5);
    const bbox = [view.getWest(), view.getSouth(), view.getEast(), view.getNorth()].map(round).join(",");
    if (buildingsRequest) buildingsRequest.abort();
    const controller = new AbortController();
    buildingsRequest = controller;
    fetch(config.buildings + "&bbox=" + bbox, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      signal: controller.signal,
    })
      .then((response) => { if (!response.ok) throw new Error(String(response.status)); return response.json(); })
      .then((body) => {
        const fresh = body.features.filter((f) => !loadedBuildings.has(f.properties.id));
        fresh.forEach((f) => loadedBuildings.add(f.properties.id));
        groups.buildings.addData(fresh);
        mapNode.dataset.buildings = String(loadedBuildings.size);
      })
      .catch((error) => { if (error.name !== "AbortError") notice(words.loadFailed); });
  }

  function draw() {
    const count = data.parcels.features.length + (data.buildings ? data.buildings.features.length : data.building_count);
    // thousands of polygons draw far faster on one canvas than as SVG paths
    const renderer = count > 1500 ? L.canvas({ padding: 0.2 }) : L.svg();
    // one click handler and one sticky tooltip per group, not one per polygon (thousands of them)
    const add = (kind) => {
      const group = L.geoJSON(data[kind] || undefined, {
        renderer: renderer,
        style: styleFor(kind),
        onEachFeature: kind === "parks" ? (feature, layer) => {
          layer.bindTooltip(labelNode(feature.properties.n, "map-label-park"), { permanent: true, direction: "center", className: "map-label" });
        } : undefined,
      });
      group.on("click", (event) => {
        L.DomEvent.stopPropagation(event);
        const layer = event.layer;
        if (selected && selected !== layer) groups[selected.kind].resetStyle(selected);
        selected = layer;
        selected.kind = kind;
        layer.setStyle({ weight: 3, color: "#0054a6" });
        showPanel(kind, layer.feature, layer);
      });
      if (kind === "parcels") group.bindTooltip((layer) => labelNode(layer.feature.properties.c), { sticky: true });
      groups[kind] = group;
    };
    add("parks");
    add("parcels");
    add("buildings");
    // the view first, without animation, then the layers: each polygon is projected and drawn once
    const bounds = L.latLngBounds([]);
    ["parks", "parcels", "buildings"].forEach((kind) => {
      const b = groups[kind].getBounds();
      if (b.isValid()) bounds.extend(b);
    });
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [16, 16], animate: false });
    ["parks", "parcels", "buildings"].forEach((kind) => groups[kind].addTo(map));
    // parcel numbers on the map only from zoom 16 on, made the first time they are needed; on a big map
    // only those of the parcels in view, made again as the map moves
    const few = data.parcels.features.length <= 2000;
    let labelsMade = false;
    const makeLabels = () => {
      labelsMade = few;
      const view = few ? null : map.getBounds().pad(0.2);
      groups.labels.clearLayers();
      groups.parcels.eachLayer((layer) => {
        const bounds = layer.getBounds();
        if (view && !view.intersects(bounds)) return;
        groups.labels.addLayer(L.marker(bounds.getCenter(), {
          interactive: false,
          icon: L.divIcon({ className: "map-label-parcel", html: labelNode(layer.feature.properties.c), iconSize: null }),
        }));
      });
    };
    data.districts.forEach((d) => {
      groups.districts.addLayer(L.marker([d.at[1], d.at[0]], {
        interactive: false,
        icon: L.divIcon({ className: "map-label-district", html: labelNode(d.n), iconSize: null }),
      }));
    });
    if (data.districts.length > 1 || !tiles.url) groups.districts.addTo(map);
    const labels = () => {
      const show = map.getZoom() >= 16;
      if (show && !labelsMade) makeLabels();
      if (show && !map.hasLayer(groups.labels)) groups.labels.addTo(map);
      if (!show && map.hasLayer(groups.labels)) map.removeLayer(groups.labels);
    };
    map.on(few ? "zoomend" : "moveend", labels);
    labels();
    // labels never overlap: placed greedily by priority, each hidden if its box meets one already placed
    map.on("zoomend moveend", declutterSoon);
    declutterSoon();
    const notes = () => {
      const said = [];
      if (!tiles.url) said.push(words.noBaseMap);
      if (!bounds.isValid()) said.push(words.nothing);
      else if (data.without_outline) said.push(words.noOutline.replace("%(n)s", data.without_outline));
      if (data.buildings_zoom && map.getZoom() < data.buildings_zoom) said.push(words.zoomForBuildings);
      notice(said.join(" "));
    };
    notes();
    if (data.buildings_zoom) {
      // below that zoom a building is a speck: the ones loaded so far are hidden, not dropped
      const showBuildings = () => {
        const show = map.getZoom() >= data.buildings_zoom;
        if (show && !map.hasLayer(groups.buildings)) groups.buildings.addTo(map);
        if (!show && map.hasLayer(groups.buildings)) map.removeLayer(groups.buildings);
      };
      map.on("zoomend", showBuildings);
      showBuildings();
      map.on("zoomend", notes);
      map.on("moveend", loadBuildings);
      loadBuildings();
    }
    legendFor();
    setUpDrawing();
  }

  document.getElementById("map-layer").addEventListener("change", (event) => {
    layerKey = event.target.value;
    layerIndex = Math.max(0, config.layers.findIndex((l) => l.key === layerKey));
    mapNode.dataset.layer = layerKey;
    if (data) restyle();
  });

  notice(words.loading);
  fetch(config.data, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then((response) => { if (!response.ok) throw new Error(String(response.status)); return response.json(); })
    .then((body) => {
      mapNode.dataset.dataMs = String(Math.round(performance.now() - started));
      data = body;
      draw();
      // what the browser test reads: data-data-ms when the answer was in, data-draw-ms when the polygons are on
      // screen (both from the script's start)
      requestAnimationFrame(() => {
        mapNode.dataset.drawMs = String(Math.round(performance.now() - started));
        mapNode.dataset.layer = layerKey;
        mapNode.dataset.drawn = "1";
      });
    })
    .catch(() => notice(words.loadFailed));
})();
