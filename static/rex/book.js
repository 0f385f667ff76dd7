// The public booking page: detect the visitor's time zone (Intl), let them change it, list the free slots in it
// and book one in one click. A slot taken meanwhile (409) is said so and the list is refreshed.
"use strict";

(function () {
  const root = document.getElementById("booking");
  if (!root || root.dataset.booked === "yes") return;
  const zoneSelect = document.getElementById("zone");
  const status = document.getElementById("status");
  const days = document.getElementById("days");
  const booked = document.getElementById("booked");
  const here = window.location.pathname.replace(/\/?$/, "/");

  function detectedZone() {
    try {
      return Intl.DateTimeFormat().resolvedOptions().timeZone || root.dataset.fallbackZone;
    } catch (e) {
      return root.dataset.fallbackZone;
    }
  }

  function chooseZone(zone) {
    const known = Array.from(zoneSelect.options).some((o) => o.value === zone);
    if (!known) {
      const option = document.createElement("option");
      option.value = option.textContent = zone;
      zoneSelect.prepend(option);
    }
    zoneSelect.value = zone;
  }

  // Each load is numbered: an answer for a zone the visitor has since changed away from is dropped, so a slow
  // first answer can never draw the old zone's times over the new one's.
  let latest = 0;

  async function load(note) {
    const mine = ++latest;
    status.textContent = note || "Loading free times…";
    days.replaceChildren();
    const response = await fetch(`${here}slots?timezone=${encodeURIComponent(zoneSelect.value)}`,
                                 {headers: {Accept: "application/json"}});
    const data = await response.json();
    if (mine !== latest) return;
    if (!response.ok) {
      status.textContent = data.detail || "The free times could not be loaded.";
      return;
    }
    status.textContent = note || (data.days.length ? `Times in ${data.timezone}:` : "No free time in the next two weeks.");
    for (const day of data.days) {
      const section = document.createElement("section");
      const title = document.createElement("h2");
      title.textContent = day.label;
      const list = document.createElement("div");
      list.className = "slots";
      for (const slot of day.slots) {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "slot";
        button.dataset.start = slot.start;
        button.textContent = slot.time;
        button.addEventListener("click", () => book(slot.start, button));
        list.append(button);
      }
      section.append(title, list);
      days.append(section);
    }
  }

  async function book(start, button) {
    for (const b of days.querySelectorAll("button")) b.disabled = true;
    status.textContent = "Booking…";
    const response = await fetch(here, {
      method: "POST",
      headers: {"Content-Type": "application/json", Accept: "application/json"},
      body: JSON.stringify({start: start, timezone: zoneSelect.value}),
    });
    const data = await response.json();
    if (response.status === 201) {
      days.replaceChildren();
      zoneSelect.disabled = true;
      status.textContent = "";
      booked.textContent = `Booked: ${data.local}. The invitation is on its way to your inbox.`;
      booked.hidden = false;
      return;
    }
    button.classList.add("gone");
    await load(data.detail || "This time could not be booked; pick another.");
    status.classList.add("gone");
  }

  chooseZone(detectedZone());
  zoneSelect.addEventListener("change", () => load());
  load();
})();
