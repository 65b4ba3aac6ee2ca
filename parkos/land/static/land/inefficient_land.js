// Inefficient-land map: flagged parcels and park boundaries from #map-parcels and #map-parks (json_script).
// A parcel carries keys (park id, status, reasons, its case as [id, status, path]); #map-words gives, once,
// their words, the colours and the link patterns ("0" stands for the id): land.selectors.map_words.
(function () {
  // No tile server: parcels and park boundaries are drawn on a plain background.
  const parcels = JSON.parse(document.getElementById("map-parcels").textContent);
  const parks = JSON.parse(document.getElementById("map-parks").textContent);
  const words = JSON.parse(document.getElementById("map-words").textContent);
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
})();
