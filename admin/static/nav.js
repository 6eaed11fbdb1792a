// On a phone the header's links fold behind a "Menü" button. Without this script the
// header simply shows all links, so nothing depends on it.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const header = document.querySelector("header.top");
  const toggle = header && header.querySelector("[data-menu-toggle]");
  if (!toggle) {
    return;
  }
  header.classList.add("foldable");
  toggle.hidden = false;
  toggle.addEventListener("click", () => {
    const open = header.classList.toggle("unfolded");
    toggle.setAttribute("aria-expanded", String(open));
  });
});
