// Place autocomplete: fills the shared <datalist> as the person types (works without JS too:
// the server resolves a typed name or postcode).
document.addEventListener("input", async (event) => {
  const input = event.target;
  if (!input.matches || !input.matches("input[data-binome-places]")) return;
  const q = input.value.trim();
  if (q.length < 2) return;
  const response = await fetch(`/lieux/?q=${encodeURIComponent(q)}`, { headers: { Accept: "application/json" } });
  if (!response.ok) return;
  const list = document.getElementById("place-options");
  list.replaceChildren(...(await response.json()).results.map((p) => {
    const option = document.createElement("option");
    option.value = p.label;
    return option;
  }));
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
