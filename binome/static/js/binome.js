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
