// The "Testanruf": a keypad that sends each key to the server, which steps the phone line's
// engine and answers with what the caller would hear. The call state travels with every
// request, as it does in Twilio's URLs. Texts are read aloud with the browser's speech synthesis,
// recordings played, one after another as on the phone.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const root = document.getElementById("testanruf");
  if (!root) {
    return;
  }
  root.hidden = false;
  document.querySelector("[data-needs-script]").hidden = true;
  const token = document.querySelector('meta[name="csrf-token"]').content;
  const promptList = root.querySelector("[data-prompts]");
  const noteList = root.querySelector("[data-notes]");
  const typedLine = root.querySelector("[data-typed]");
  const status = root.querySelector("[data-status]");
  const speakBox = root.querySelector("[data-speak]");
  const inCallButtons = root.querySelectorAll("[data-key], [data-action='none'], [data-action='hangup']");
  let state = "";
  let wait = "end";
  let typed = "";
  let busy = false;

  const canSpeak = "speechSynthesis" in window && "SpeechSynthesisUtterance" in window;
  if (!canSpeak) {
    speakBox.checked = false;
    speakBox.disabled = true;
    speakBox.parentElement.append(" (Ihr Browser kann nicht vorlesen)");
  }

  // Bumped whenever a step begins or ends: a running sequence of prompts then stops.
  let sequence = 0;

  function stopSpeaking() {
    sequence += 1;
    if (canSpeak) {
      window.speechSynthesis.cancel();
    }
    for (const audio of promptList.querySelectorAll("audio")) {
      audio.pause();
    }
  }

  function sayAloud(text) {
    return new Promise((resolve) => {
      const utterance = new SpeechSynthesisUtterance(text);
      utterance.lang = "de-DE";
      utterance.rate = 0.9;
      utterance.onend = resolve;
      utterance.onerror = resolve;
      window.speechSynthesis.speak(utterance);
    });
  }

  function playRecording(audio) {
    return new Promise((resolve) => {
      audio.addEventListener("ended", resolve, { once: true });
      audio.addEventListener("error", resolve, { once: true });
      audio.play().catch(resolve);
    });
  }

  function pause(seconds) {
    return new Promise((resolve) => { window.setTimeout(resolve, seconds * 1000); });
  }

  // As on the phone: spoken texts, recordings and pauses one after another, in the line's order.
  async function speak(prompts, items) {
    if (!canSpeak || !speakBox.checked) {
      return;
    }
    const own = sequence;
    for (const [index, prompt] of prompts.entries()) {
      if (own !== sequence) {
        return;
      }
      if (prompt.type === "say") {
        await sayAloud(prompt.text);
      } else if (prompt.type === "play") {
        await playRecording(items[index].querySelector("audio"));
      } else {
        await pause(prompt.seconds);
      }
    }
  }

  function item(prompt) {
    const li = document.createElement("li");
    if (prompt.type === "say") {
      li.textContent = prompt.text;
    } else if (prompt.type === "play") {
      li.textContent = "Aufnahme: ";
      const audio = document.createElement("audio");
      audio.controls = true;
      audio.preload = "none";
      audio.src = prompt.url;
      li.append(audio);
    } else {
      li.className = "pause";
      li.textContent = `(${prompt.seconds} s Pause)`;
    }
    return li;
  }

  function show(step) {
    state = step.state;
    wait = step.wait;
    typed = "";
    typedLine.hidden = true;
    const items = step.prompts.map(item);
    promptList.replaceChildren(...items);
    noteList.replaceChildren(...step.notes.map((note) => {
      const li = document.createElement("li");
      li.textContent = note;
      return li;
    }));
    const waiting = {
      keys: "Die Hotline wartet auf eine Taste.",
      number: "Tippen Sie eine Nummer und zum Schluss #.",
      record: "Aufnahme läuft (nur simuliert).",
      dial: "Weiterleitung (nur simuliert).",
      end: "Der Anruf ist zu Ende. Mit „Anruf starten“ beginnt ein neuer.",
    };
    status.textContent = waiting[wait] || "";
    for (const button of inCallButtons) {
      button.disabled = wait === "end";
    }
    speak(step.prompts, items);
  }

  async function send(event, digits) {
    if (busy) {
      return;
    }
    busy = true;
    stopSpeaking();
    const body = new URLSearchParams({
      csrf_token: token, fassung: root.dataset.version, state, event, digits: digits || "",
    });
    try {
      const response = await fetch(root.dataset.stepUrl, {
        method: "POST", body, credentials: "same-origin", headers: { Accept: "application/json" },
      });
      const answer = await response.json();
      if (!response.ok) {
        throw new Error(answer.error || "Fehler");
      }
      show(answer);
    } catch (error) {
      status.textContent = `Das hat nicht geklappt: ${error.message}. Bitte starten Sie den Anruf neu.`;
    } finally {
      busy = false;
    }
  }

  function press(key) {
    if (wait === "record" && key !== "#") {
      return;  // only # ends a recording on the phone
    }
    if (wait === "number") {
      stopSpeaking();
      if (key === "#") {
        send("key", typed);
        return;
      }
      typed += key;
      typedLine.hidden = false;
      typedLine.textContent = typed;
      return;
    }
    send("key", key);
  }

  root.querySelector("[data-action='start']").addEventListener("click", () => {
    state = "";
    send("start", "");
  });
  root.querySelector("[data-action='none']").addEventListener("click", () => send("none", ""));
  root.querySelector("[data-action='hangup']").addEventListener("click", () => send("hangup", ""));
  for (const button of root.querySelectorAll("[data-key]")) {
    button.addEventListener("click", () => press(button.dataset.key));
  }
});
