// Place autocomplete: the text box becomes an ARIA combobox whose list of suggestions comes
// from the search view (data-binome-places holds its URL). Without JavaScript the server
// resolves what was typed, and offers the places of an ambiguous name as radio buttons.
function enhancePlaceInput(input) {
  const listbox = document.createElement("ul");
  listbox.id = `${input.id}-suggestions`;
  listbox.className = "place-listbox";
  listbox.setAttribute("role", "listbox");
  const label = document.querySelector(`label[for="${input.id}"]`);
  if (label) {
    if (!label.id) label.id = `${input.id}-label`;
    listbox.setAttribute("aria-labelledby", label.id);
  }
  listbox.hidden = true;
  const status = document.createElement("div");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  input.after(listbox, status);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", listbox.id);
  input.closest(".field")?.classList.add("has-suggestions");

  let active = -1;
  let latest = 0;
  let timer = null;
  const options = () => [...listbox.children];
  const close = () => {
    clearTimeout(timer);
    latest += 1; // a search still under way does not reopen the list
    listbox.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  };
  const highlight = (index) => {
    const all = options();
    all.forEach((o, i) => o.setAttribute("aria-selected", i === index ? "true" : "false"));
    active = index;
    if (index >= 0) {
      input.setAttribute("aria-activedescendant", all[index].id);
      all[index].scrollIntoView({ block: "nearest" });
    } else input.removeAttribute("aria-activedescendant");
  };
  const choose = (option) => {
    input.value = option.textContent;
    close();
    input.dispatchEvent(new Event("change", { bubbles: true }));
  };
  const show = (results) => {
    listbox.replaceChildren(...results.map((place, i) => {
      const option = document.createElement("li");
      option.id = `${listbox.id}-${i}`;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.textContent = place.label;
      return option;
    }));
    active = -1;
    listbox.hidden = results.length === 0;
    input.setAttribute("aria-expanded", results.length ? "true" : "false");
    status.textContent = results.length ? input.dataset.suggestionsCount.replace("%s", results.length) : "";
  };
  const search = async () => {
    const q = input.value.trim();
    const ticket = ++latest;
    if (q.length < 2) return show([]);
    try {
      const url = `${input.dataset.binomePlaces}?q=${encodeURIComponent(q)}`;
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (!response.ok || ticket !== latest) return;
      const { results } = await response.json();
      if (ticket === latest && document.activeElement === input) show(results);
    } catch (error) {
      // Offline or server error: the person can still type; the server checks on submit.
    }
  };
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(search, 150);
  });
  input.addEventListener("keydown", (event) => {
    const all = options();
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (listbox.hidden) {
        if (all.length) { listbox.hidden = false; input.setAttribute("aria-expanded", "true"); }
        return;
      }
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      highlight((active + step + all.length) % all.length);
    } else if (event.key === "Enter" && !listbox.hidden && active >= 0) {
      event.preventDefault();
      choose(all[active]);
    } else if (event.key === "Escape" && !listbox.hidden) {
      event.preventDefault();
      close();
    }
  });
  input.addEventListener("blur", () => setTimeout(close, 150));
  listbox.addEventListener("mousedown", (event) => event.preventDefault()); // keep the focus
  listbox.addEventListener("click", (event) => {
    const option = event.target.closest("[role=option]");
    if (option) choose(option);
  });
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("input[data-binome-places]").forEach(enhancePlaceInput);
});

// An ambiguous town: choosing one of the places offered shows its label in the text box.
document.addEventListener("change", (event) => {
  const radio = event.target;
  if (!radio.matches || !radio.matches(".place-choices input[type=radio]")) return;
  const input = document.getElementById(radio.id.replace(/_choice_\d+$/, ""));
  if (input) input.value = radio.dataset.placeLabel;
});

// Error summary: focused on arrival (screen readers read it); its links focus the field.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector(".error-summary");
  if (summary) summary.focus();
});
document.addEventListener("click", (event) => {
  const link = event.target.closest && event.target.closest(".error-summary a[href^='#']");
  if (!link) return;
  const field = document.getElementById(link.getAttribute("href").slice(1));
  if (!field) return;
  event.preventDefault();
  field.focus();
  (field.closest(".field") || field).scrollIntoView({ block: "start" });
});

// Staff menu: collapsed behind the "Menu" button on small screens once Bootstrap's script is
// here (without JavaScript the menu simply stays open).
document.addEventListener("DOMContentLoaded", () => {
  if (!window.bootstrap) return;
  for (const menu of document.querySelectorAll("[data-binome-collapse]")) {
    menu.classList.add("collapse");
    const toggler = document.querySelector(`[data-bs-target="#${menu.id}"]`);
    if (toggler) toggler.hidden = false;
  }
});

// Language switch in the middle of a registration: the step's form is sent with the language
// asked for, so the same step comes back in that language with everything typed kept
// (without JavaScript, the switch reloads the page in that language).
document.addEventListener("submit", (event) => {
  const switcher = event.target;
  if (!switcher.matches || !switcher.matches("form[data-language-switch]")) return;
  const step = document.querySelector("form[data-keeps-answers]");
  const button = event.submitter;
  if (!step || !button || !button.value) return;
  event.preventDefault();
  const field = document.createElement("input");
  field.type = "hidden";
  field.name = "switch_language";
  field.value = button.value;
  step.append(field);
  step.submit();
});
