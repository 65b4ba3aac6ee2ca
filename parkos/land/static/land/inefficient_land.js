// Inefficient-land map: flagged parcels and park boundaries fetched from words.data (land:inefficient_land_map:
// parcels, parks, parkNames, withoutGeometry), not written into the page (its weight stays flat with the data).
// A parcel carries keys (park id, status, reasons, its case as [id, status, path]); #map-words gives, once,
// their words, the colours, the link patterns ("0" stands for the id) and the data's address: land.selectors.map_words.
(function () {
  const words = JSON.parse(document.getElementById("map-words").textContent);
  fetch(words.data, {credentials: "same-origin", headers: {Accept: "application/json"}})
    .then((response) => {
      if (!response.ok) throw new Error(response.status + " " + response.statusText);
      return response.json();
    })
    .then(draw)
    .catch((error) => console.error("inefficient-land map:", error));

  function draw(data) {
    // No tile server: parcels and park boundaries are drawn on a plain background.
    const parcels = data.parcels;
    const parks = data.parks;
    words.parks = data.parkNames;
    const url = (pattern, id) => pattern.replace(/\/0\/$/, "/" + id + "/");
    // a parcel under an active case takes its case's colour, otherwise that of its first reason
    const colour = (p) => (p.case ? words.caseColours[p.case[1]] : words.reasonColours[p.reasons[0]]);
    const map = L.map("inefficient-land-map", {attributionControl: false, zoomSnap: 0.25});
    function link(href, text) {
      const a = document.createElement("a");
      a.href = href;
      a.textContent = text;
      return a;
    }
    function line(text) {
      const div = document.createElement("div");
      div.textContent = text;
      return div;
    }
    const parkLayer = L.geoJSON(parks, {
      style: {color: "#6c7a91", weight: 1.5, dashArray: "6 4", fillOpacity: 0.03},
      interactive: false,
    }).addTo(map);
    // Parks lie kilometres apart: a park's parcels are only legible zoomed to that park.
    const zoomSelect = document.getElementById("map-zoom-park");
    const parkBounds = [];
    parkLayer.eachLayer((layer) => {
      const option = document.createElement("option");
      option.value = String(parkBounds.length);
      option.textContent = layer.feature.properties.name;
      zoomSelect.appendChild(option);
      parkBounds.push(layer.getBounds());
    });
    const parcelLayer = L.geoJSON(parcels, {
      style: (feature) => ({color: colour(feature.properties), weight: 1, fillColor: colour(feature.properties), fillOpacity: 0.55}),
      onEachFeature: (feature, layer) => {
        const p = feature.properties;
        const name = words.parks[p.park] + " " + p.code;
        const box = document.createElement("div");
        const title = document.createElement("strong");
        title.appendChild(link(url(words.parcelUrl, p.id), name));
        box.appendChild(title);
        if (p.holder) box.appendChild(line(p.holder));
        box.appendChild(line(words.statuses[p.status]));
        if (p.reasons.length) box.appendChild(line(p.reasons.map((r) => words.reasons[r]).join(", ")));
        if (p.case) {
          const c = document.createElement("div");
          c.appendChild(link(url(words.caseUrl, p.case[0]), words.casePaths[p.case[2]] + " · " + words.caseStatuses[p.case[1]]));
          box.appendChild(c);
        }
        layer.bindPopup(box);
        // Text, never HTML: a string given to bindTooltip is set as innerHTML, and names come from users.
        layer.bindTooltip(document.createTextNode(name));
      },
    }).addTo(map);
    const bounds = parcelLayer.getBounds().isValid() ? parcelLayer.getBounds() : parkLayer.getBounds();
    function showAll() {
      if (bounds.isValid()) {
        map.fitBounds(bounds.pad(0.1));
      } else {
        map.setView([31.2, 121.5], 11);
      }
    }
    showAll();
    zoomSelect.addEventListener("change", () => {
      if (zoomSelect.value === "") showAll();
      else map.fitBounds(parkBounds[Number(zoomSelect.value)].pad(0.05));
    });
    // the parcels with no outline, listed beside the map
    const missing = document.getElementById("without-geometry");
    if (data.withoutGeometry.length) {
      const list = missing.querySelector("ul");
      for (const p of data.withoutGeometry) {
        const li = document.createElement("li");
        li.className = "list-group-item";
        li.appendChild(link(p.url, p.park + " " + p.code));
        li.appendChild(document.createTextNode(" "));
        const span = document.createElement("span");
        span.className = "text-secondary small";
        span.textContent = p.reasons.join(", ") + (p.case_status ? " · " + p.case_status : "");
        li.appendChild(span);
        list.appendChild(li);
      }
      missing.hidden = false;
    }
  }
})();
