// Below every field whose text the phone line speaks: how the voice will say it, and what it
// cannot say well (English words, symbols, addresses), shown while typing, before saving.
"use strict";

const previewUrl = document.currentScript.dataset.previewUrl;

document.addEventListener("DOMContentLoaded", () => {
  const fields = document.querySelectorAll("[data-speakable]");
  if (fields.length === 0) {
    return;
  }
  const token = document.querySelector('meta[name="csrf-token"]').content;

  for (const field of fields) {
    const box = document.createElement("div");
    box.className = "speakable-preview";
    box.id = `${field.id}-gesprochen`;
    box.setAttribute("aria-live", "polite");
    box.hidden = true;
    const spoken = document.createElement("p");
    const warningList = document.createElement("ul");
    box.append(spoken, warningList);
    let anchor = field; // below the field's error messages, which belong right under it
    while (anchor.nextElementSibling?.classList.contains("errors")) {
      anchor = anchor.nextElementSibling;
    }
    anchor.after(box);
    field.setAttribute("aria-describedby", box.id);

    let timer = null;
    let asked = 0;
    async function update() {
      const text = field.value.trim();
      if (!text) {
        box.hidden = true;
        return;
      }
      const mine = ++asked;
      const body = new URLSearchParams({ csrf_token: token, text });
      try {
        const response = await fetch(previewUrl, {
          method: "POST", body, credentials: "same-origin", headers: { Accept: "application/json" },
        });
        const answer = await response.json();
        if (mine !== asked) {
          return; // a newer text is on its way
        }
        spoken.textContent = `Am Telefon: „${answer.spoken}“`;
        warningList.replaceChildren(...answer.warnings.map((warning) => {
          const li = document.createElement("li");
          li.textContent = warning;
          return li;
        }));
        box.hidden = false;
      } catch {
        box.hidden = true; // the preview is a help; saving works without it
      }
    }
    field.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(update, 300);
    });
    update();
  }
});
